/**
 * The audit log in JSON-lines files, one per enrollment attempt:
 * `<dir>/<enrollment ID>/<attempt ID>.jsonl`, readable by their owner only (they name people and
 * what they did). For one machine, or workers and API sharing a volume; appends are serialized
 * within a process, and a line written twice by two processes is read once (by its seq).
 */
import path from 'node:path';
import { appendJsonLines, fileNameOf, readJsonLines } from '../../process/json-lines';
import { inOrder, type AuditLog, type AuditLogRef, type LoggedAuditEntry } from './audit-log';

export class FileAuditLog implements AuditLog {
  /** Appends in flight per file, so this process never interleaves two batches of one attempt. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  async append(ref: AuditLogRef, entries: readonly LoggedAuditEntry[]): Promise<void> {
    const file = this.fileOf(ref);
    const previous = this.queues.get(file) ?? Promise.resolve();
    const appended = previous.then(() => this.appendNow(file, entries));
    const settled = appended.catch(() => undefined);
    this.queues.set(file, settled);
    // Housekeeping only (settled never rejects): forget the queue once nothing is behind it.
    void settled.then(() => {
      if (this.queues.get(file) === settled) this.queues.delete(file);
    });
    return appended;
  }

  async read(ref: AuditLogRef, page: { after: number; limit: number }): Promise<LoggedAuditEntry[]> {
    const entries = await this.load(this.fileOf(ref));
    return entries.filter((entry) => entry.seq > page.after).slice(0, page.limit);
  }

  private async appendNow(file: string, entries: readonly LoggedAuditEntry[]): Promise<void> {
    const known = new Set((await readEntries(file)).map((entry) => entry.seq));
    // A line torn by a crash is skipped: the workflow writes its entry again with its next batch.
    await appendJsonLines(
      file,
      entries.filter((entry) => !known.has(entry.seq)),
    );
  }

  private async load(file: string): Promise<LoggedAuditEntry[]> {
    return inOrder(await readEntries(file));
  }

  private fileOf(ref: AuditLogRef): string {
    const [enrollment, attempt] = [ref.enrollmentId, ref.attemptId].map((id) => fileNameOf('audit log', id));
    return path.join(this.dir, enrollment, `${attempt}.jsonl`);
  }
}

/** The file's entries; a line that is not one (torn, or no sequence number) is skipped. */
async function readEntries(file: string): Promise<LoggedAuditEntry[]> {
  const values = await readJsonLines<Partial<LoggedAuditEntry> | null>(file);
  return values.filter(
    (entry): entry is LoggedAuditEntry => !!entry && Number.isInteger(entry.seq) && entry.seq! > 0,
  );
}
