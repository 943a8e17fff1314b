/**
 * The audit trail: who did what, when and why. Every entry is numbered within the enrollment
 * attempt and written to the durable audit log (src/integrations/audit) by an activity, in batches: when
 * `policy.audit.writeEvery` entries are due; when the flow starts waiting (for people, for days)
 * and the oldest due entry is older than `policy.audit.writeWithin`; and before the run closes or
 * continues as new. An enrollment whose entries come one at a time, days apart, thus writes a few
 * of them at a time, not one activity per entry. One batch is on its way at a time, and the log
 * keys entries by attempt and number, so retries and replays never duplicate.
 * The status keeps the latest `policy.audit.keepLatest` entries, and every entry not yet written
 * (which thus travels through continue-as-new), so a reader merging log and status misses nothing.
 * Runs started before the log existed keep only the latest entries, as they did (patched).
 */
import { ActivityFailure, CancellationScope, condition } from '@temporalio/workflow';
import { durationMs } from '../domain/enrollment';
import type { AuditEntry, LoggedAuditEntry } from '../domain/status';
import { withSummary } from './activities';
import type { Enrollment } from './context';

/** The most entries one activity carries (a first batch of a run continued from before the log). */
const MAX_BATCH = 200;

/** How far the trail got: entries numbered so far, and written to the log so far. */
export interface AuditProgress {
  recorded: number;
  written: number;
}

export class AuditTrail {
  /** The flow waits (for people): a good moment to write what is due. */
  private waiting = 0;
  /** The run is about to close or continue as new: everything due is written at once. */
  private closing = false;
  /** The log refused a batch for good (a non-retryable error): given up on until a new entry. */
  private refused = false;
  /** The run continues as new: what is left travels in the status, the next run writes it. */
  private stopped = false;

  constructor(
    private readonly e: Enrollment,
    /** Whether this run writes to the durable log (false for runs started before it existed). */
    readonly durable: boolean,
  ) {
    const { status, pending } = e;
    // The first run with numbers: what an earlier run carried over is numbered now, and written.
    if (!pending.auditLog) {
      status.audit.forEach((entry, index) => (entry.seq ??= index + 1));
      pending.auditLog = { recorded: status.audit.length, written: 0 };
    }
  }

  private get progress(): AuditProgress {
    return this.e.pending.auditLog!;
  }

  record(entry: Omit<AuditEntry, 'seq'>): void {
    this.progress.recorded += 1;
    this.e.status.audit.push({ seq: this.progress.recorded, ...entry });
    this.refused = false;
    this.trim();
  }

  /** Tells the trail the flow is waiting (true) or going on (false). */
  flowWaits(waiting: boolean): void {
    this.waiting += waiting ? 1 : -1;
  }

  /** Writes in the background for as long as the run lives. */
  start(): void {
    if (!this.durable) return;
    // Not cancellable: a withdrawal stops the flow, not the record of it. Not awaited: it runs
    // beside the flow for the run's whole life.
    void CancellationScope.nonCancellable(async () => {
      for (;;) {
        await condition(() => this.due());
        await this.writeBatch();
      }
    });
  }

  /** Every entry is in the log (or the log refused them for good); always, without the log. */
  settled(): boolean {
    return !this.durable || this.refused || this.unwritten().length === 0;
  }

  /** From now on every entry is written as soon as it is recorded: the run is closing. */
  writeAtOnce(): void {
    this.closing = true;
  }

  /** Writes whatever is due at once, and waits at most `timeoutMs` until all was written. */
  flush(timeoutMs: number): Promise<boolean> {
    this.writeAtOnce();
    return condition(() => this.settled(), timeoutMs);
  }

  /** No more batches in this run (its last command must be the continue-as-new). */
  stop(): void {
    this.stopped = true;
  }

  private due(): boolean {
    if (this.refused || this.stopped) return false;
    const unwritten = this.unwritten();
    if (unwritten.length === 0) return false;
    const { writeEvery, writeWithin } = this.e.policy.audit;
    const overdue = Date.parse(unwritten[0].at) <= Date.now() - durationMs(writeWithin);
    return this.closing || unwritten.length >= writeEvery || (this.waiting > 0 && overdue);
  }

  private unwritten(): LoggedAuditEntry[] {
    const { written } = this.progress;
    return this.e.status.audit.filter((entry): entry is LoggedAuditEntry => (entry.seq ?? 0) > written);
  }

  private async writeBatch(): Promise<void> {
    const entries = this.unwritten().slice(0, MAX_BATCH);
    const last = entries.at(-1)!.seq;
    try {
      await withSummary(
        'writeAuditEntries',
        `Audit log: entries ${entries[0].seq}-${last}`,
      )({ ...this.e.scope, entries });
      this.progress.written = Math.max(this.progress.written, last);
      this.trim();
    } catch (error) {
      // Retried until the log answers; only a refusal for good lands here. The entries stay in
      // the status; the next entry tries again.
      if (!(error instanceof ActivityFailure)) throw error;
      this.refused = true;
    }
  }

  /** The latest `keepLatest` entries stay, and any the log does not hold yet. */
  private trim(): void {
    const { audit } = this.e.status;
    const excess = audit.length - this.e.policy.audit.keepLatest;
    if (excess <= 0) return;
    const { written } = this.progress;
    let drop = 0;
    while (drop < excess && (!this.durable || (audit[drop].seq ?? 0) <= written)) drop += 1;
    if (drop > 0) audit.splice(0, drop);
  }
}
