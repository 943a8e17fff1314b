/**
 * The durable audit log: every audit entry of every enrollment attempt, outside the workflow's
 * state (which keeps only the latest entries, see src/workflows/audit-trail.ts). Entries are keyed
 * by their attempt and their number in it (`seq`, from 1): writing an entry again — an activity
 * retried, a run replayed, a batch written twice by two workers — never duplicates it. This is the
 * interface a store implements: the JSON-lines files of ./file-audit-log.ts by default; a database
 * table keyed (enrollment ID, attempt ID, seq) fits it as well.
 */
import type { LoggedAuditEntry } from '../../domain/status';

export type { LoggedAuditEntry };

/** Whose log: the enrollment and its attempt (a new enrollment of the organization has its own). */
export interface AuditLogRef {
  enrollmentId: string;
  attemptId: string;
}

export interface AuditLog {
  /** Stores the entries; those already stored (same attempt and seq) are left as they are. */
  append(ref: AuditLogRef, entries: readonly LoggedAuditEntry[]): Promise<void>;
  /** Entries numbered after `after`, in order, at most `limit`. */
  read(ref: AuditLogRef, page: { after: number; limit: number }): Promise<LoggedAuditEntry[]>;
}

/** One entry per number, in order; the first stored wins (a later copy is the same entry again). */
export function inOrder(entries: Iterable<LoggedAuditEntry>): LoggedAuditEntry[] {
  const bySeq = new Map<number, LoggedAuditEntry>();
  for (const entry of entries) if (!bySeq.has(entry.seq)) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
