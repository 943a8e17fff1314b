/**
 * The audit trail of an enrollment attempt, page by page, oldest first: the durable audit log
 * (src/integrations/audit), completed by the status's latest entries — those the workflow has not written yet
 * are only there. Entries are numbered (`seq`), so the two sources merge without a gap or a repeat,
 * and a page token is the last number a page showed. Applicants page through what their view
 * allows (src/domain/applicant-view.ts); the pages skip what they may not see.
 */
import { inOrder, type AuditLog, type LoggedAuditEntry } from '../integrations/audit/audit-log';
import type { AuditEntry, EnrollmentStatus } from '../domain/status';

/** Entries read from the log at a time while filling a page. */
const CHUNK = 200;

export interface AuditPage {
  items: AuditEntry[];
  nextPageToken?: string;
}

export const encodeAuditToken = (after: number) =>
  Buffer.from(JSON.stringify({ after })).toString('base64url');

/** The number a page token stands for, or undefined when it is not one of ours. */
export function decodeAuditToken(token: string): number | undefined {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof after === 'number' && Number.isInteger(after) && after >= 0 ? after : undefined;
  } catch {
    return undefined;
  }
}

/** The status's entries, numbered; runs of the earliest flow kept them unnumbered: by position. */
function numbered(status: EnrollmentStatus): LoggedAuditEntry[] {
  return status.audit.map((entry, index) => ({ ...entry, seq: entry.seq ?? index + 1 }));
}

export async function auditPage(options: {
  status: EnrollmentStatus;
  /** The durable log; without one, the status's entries only. */
  log?: AuditLog;
  /** How the caller may see an entry; undefined: not at all. */
  view: (entry: AuditEntry) => AuditEntry | undefined;
  pageSize: number;
  after: number;
}): Promise<AuditPage> {
  const { status, log, view, pageSize } = options;
  const ref = { enrollmentId: status.enrollmentId, attemptId: status.attemptId ?? status.enrollmentId };
  const recent = numbered(status);
  const seen: { seq: number; entry: AuditEntry }[] = [];
  let after = options.after;
  // One more than the page holds tells whether a next page exists.
  while (seen.length <= pageSize) {
    const stored = log ? await log.read(ref, { after, limit: CHUNK }) : [];
    const exhausted = stored.length < CHUNK;
    // Past what the log returned, the status may hold entries the log has not got yet.
    const horizon = exhausted ? Infinity : stored.at(-1)!.seq;
    const chunk = inOrder([...stored, ...recent.filter((e) => e.seq > after && e.seq <= horizon)]);
    for (const entry of chunk) {
      const shown = view(entry);
      if (shown) seen.push({ seq: entry.seq, entry: { ...shown, seq: entry.seq } });
      if (seen.length > pageSize) break;
    }
    if (exhausted) break;
    after = horizon;
  }
  const items = seen.slice(0, pageSize);
  return {
    items: items.map(({ entry }) => entry),
    ...(seen.length > pageSize ? { nextPageToken: encodeAuditToken(items.at(-1)!.seq) } : {}),
  };
}
