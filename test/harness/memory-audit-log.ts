/** The audit log in memory, for workflow suites: what the workflow wrote, by attempt. */
import {
  inOrder,
  type AuditLog,
  type AuditLogRef,
  type LoggedAuditEntry,
} from '../../src/integrations/audit/audit-log';

export class MemoryAuditLog implements AuditLog {
  private readonly attempts = new Map<string, LoggedAuditEntry[]>();
  /** Every batch as it arrived (copies included), to count writes. */
  readonly batches: { ref: AuditLogRef; seqs: number[] }[] = [];

  async append(ref: AuditLogRef, entries: readonly LoggedAuditEntry[]): Promise<void> {
    this.batches.push({ ref, seqs: entries.map((entry) => entry.seq) });
    const key = `${ref.enrollmentId}/${ref.attemptId}`;
    this.attempts.set(key, inOrder([...(this.attempts.get(key) ?? []), ...entries]));
  }

  async read(ref: AuditLogRef, page: { after: number; limit: number }): Promise<LoggedAuditEntry[]> {
    return this.entries(ref)
      .filter((entry) => entry.seq > page.after)
      .slice(0, page.limit);
  }

  entries(ref: AuditLogRef): LoggedAuditEntry[] {
    return this.attempts.get(`${ref.enrollmentId}/${ref.attemptId}`) ?? [];
  }
}
