/**
 * Bearer tokens and who they stand for. The acting person always comes from here, never from a
 * request body. Tokens are compared in constant time and never logged.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sameSecret, secretDigest } from '../auth/bearer';
import { commaList } from '../config/values';
import { ROLES, type Actor } from '../domain/actions';
import { Email } from '../domain/enrollment';

export type Role = Actor['role'];
/**
 * Who calls: the acting person, and the email their sign-in proves (an OIDC token's verified email
 * claim, or the one a static token names). Only a proven email signs the agreement.
 */
export type Caller = Actor & { email?: string };

/** Subjects end up in visibility queries and the audit trail: keep them to a plain alphabet. */
export const SubjectId = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,128}$/, 'must be 1-128 letters, digits, dots, dashes, underscores or @');
const TokenEntry = z.object({
  token: z.string().min(16, 'tokens must have at least 16 characters'),
  role: z.enum(ROLES),
  id: SubjectId,
  email: Email.optional(),
});

export interface TokenTable {
  /** The caller a token stands for, or undefined. */
  authenticate(token: string): Caller | undefined;
  /** Every entry, for the development banner only. */
  entries(): readonly { token: string; caller: Caller }[];
}

export function tokenTable(entries: { token: string; caller: Caller }[]): TokenTable {
  const hashed = entries.map((entry) => ({ hash: secretDigest(entry.token), caller: entry.caller }));
  return {
    authenticate(token) {
      // Every entry is compared in full, so the time does not say which one matched.
      let found: Caller | undefined;
      for (const entry of hashed) if (sameSecret(token, entry.hash)) found = entry.caller;
      return found;
    },
    entries: () => entries,
  };
}

/**
 * Parses CSP_API_TOKENS: `token=role:id` or `token=role:id:email` items separated by commas; the
 * email is the person's whom the token stands for (whoever holds it signs as them).
 */
export function parseTokens(spec: string): TokenTable {
  const entries = commaList(spec).map((item, index) => {
    const match = /^([^=]+)=([^:]+):([^:]+)(?::(.*))?$/.exec(item);
    if (!match) throw new Error(`CSP_API_TOKENS item ${index + 1}: expected token=role:id[:email]`);
    const parsed = TokenEntry.safeParse({
      token: match[1].trim(),
      role: match[2].trim(),
      id: match[3].trim(),
      ...(match[4] !== undefined ? { email: match[4].trim() } : {}),
    });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`CSP_API_TOKENS item ${index + 1}: ${fields.join('; ')}`);
    }
    const { token, role, id, email } = parsed.data;
    return { token, caller: { role, id, ...(email ? { email } : {}) } };
  });
  if (new Set(entries.map((e) => e.token)).size !== entries.length)
    throw new Error('CSP_API_TOKENS: a token is listed twice');
  return tokenTable(entries);
}

/** A start-up banner's line for a token: role, person, the token, and whom it signs as. */
export const bannerLine = ({ token, caller }: { token: string; caller: Caller }): string =>
  `  ${caller.role.padEnd(12)} ${caller.id.padEnd(12)} ${token}${caller.email ? `  signs as ${caller.email}` : ''}`;

/** The table as CSP_API_TOKENS writes it (for the processes a stack starts). */
export const tokensSpec = (table: TokenTable): string =>
  table
    .entries()
    .map(
      ({ token, caller }) => `${token}=${caller.role}:${caller.id}${caller.email ? `:${caller.email}` : ''}`,
    )
    .join(',');

/** Whom the development applicant token signs as: the global admin of the examples (examples/). */
export const DEVELOPMENT_SIGNER = 'wei.zhang@yunfan.example.cn';

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
      caller: { role, id: ids[role], ...(role === 'applicant' ? { email: DEVELOPMENT_SIGNER } : {}) },
    })),
  );
}
