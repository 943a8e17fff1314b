/**
 * Bearer tokens and who they stand for. The acting person always comes from here, never from a
 * request body. Tokens are compared in constant time and never logged.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Actor } from '../domain/actions';

export type Role = Actor['role'];
export type Caller = Actor;

/** Subjects end up in visibility queries and the audit trail: keep them to a plain alphabet. */
const SubjectId = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,128}$/, 'must be 1-128 letters, digits, dots, dashes, underscores or @');
const TokenEntry = z.object({
  token: z.string().min(16, 'tokens must have at least 16 characters'),
  role: z.enum(ROLES),
  id: SubjectId,
});

export interface TokenTable {
  /** The caller a token stands for, or undefined. */
  authenticate(token: string): Caller | undefined;
  /** Every entry, for the development banner only. */
  entries(): readonly { token: string; caller: Caller }[];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function tokenTable(entries: { token: string; caller: Caller }[]): TokenTable {
  // Hashing first gives equal-length buffers, so timingSafeEqual compares every entry in full.
  const hashed = entries.map((entry) => ({ hash: digest(entry.token), caller: entry.caller }));
  return {
    authenticate(token) {
      const candidate = digest(token);
      let found: Caller | undefined;
      for (const entry of hashed) if (timingSafeEqual(entry.hash, candidate)) found = entry.caller;
      return found;
    },
    entries: () => entries,
  };
}

/** Parses CSP_API_TOKENS: `token=role:id` items separated by commas. */
export function parseTokens(spec: string): TokenTable {
  const entries = spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item, index) => {
      const match = /^([^=]+)=([^:]+):(.+)$/.exec(item);
      if (!match) throw new Error(`CSP_API_TOKENS item ${index + 1}: expected token=role:id`);
      const parsed = TokenEntry.safeParse({
        token: match[1].trim(),
        role: match[2].trim(),
        id: match[3].trim(),
      });
      if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        throw new Error(`CSP_API_TOKENS item ${index + 1}: ${fields.join('; ')}`);
      }
      return { token: parsed.data.token, caller: { role: parsed.data.role, id: parsed.data.id } };
    });
  if (new Set(entries.map((e) => e.token)).size !== entries.length)
    throw new Error('CSP_API_TOKENS: a token is listed twice');
  return tokenTable(entries);
}

/** One random token per role, for a development machine (printed by npm start). */
export function developmentTokens(): TokenTable {
  const ids: Record<Role, string> = {
    applicant: 'applicant-1',
    reviewer: 'reviewer-1',
    'review-lead': 'lead-1',
    operator: 'operator-1',
  };
  return tokenTable(
    ROLES.map((role) => ({
      token: `dev-${role}-${randomBytes(12).toString('hex')}`,
      caller: { role, id: ids[role] },
    })),
  );
}

/** Reads `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
