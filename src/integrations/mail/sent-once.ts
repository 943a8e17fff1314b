/**
 * Each email once. SMTP is at-least-once from where the activity stands: a send can go through
 * while its activity's completion never reaches Temporal (the server restarting, the worker
 * stopping after the send, the activity timing out just after), and the retry — or the next run,
 * resending the outbox it carried over — would send it again. The Message-ID is the email's
 * idempotency key (per enrollment attempt and moment, ./mailer.ts); this log remembers the ones
 * the SMTP server accepted, so that a send of one of them again is answered from the log.
 *
 * JSON-lines files, one per enrollment: `<dir>/<enrollment ID>.jsonl`, private to their owner. For
 * one machine, or workers sharing a volume; workers on separate disks fall back to at-least-once
 * (receivers can still tell a duplicate by its Message-ID). A send that fails leaves no line: its
 * retry, or an operator's re-send, sends it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Notification } from '../../domain/notifications';
import { appendJsonLines, fileNameOf, readJsonLines, UnusableId } from '../../process/json-lines';
import { messageIdFor, type Mailer } from './mailer';

/** A line of the log: a message the SMTP server accepted, and when. */
interface SentLine {
  messageId: string;
  at: string;
}

const SUFFIX = '.jsonl';

export class SentLog {
  constructor(private readonly dir: string) {}

  async has(enrollmentId: string, messageId: string): Promise<boolean> {
    const lines = await readJsonLines<Partial<SentLine> | null>(this.fileOf(enrollmentId));
    return lines.some((line) => line?.messageId === messageId);
  }

  async record(enrollmentId: string, messageId: string): Promise<void> {
    const line: SentLine = { messageId, at: new Date().toISOString() };
    await appendJsonLines(this.fileOf(enrollmentId), [line]);
  }

  /** The enrollments with a log here (none when nothing was sent yet). */
  async enrollments(): Promise<string[]> {
    const names = await fs.promises.readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names.filter((name) => name.endsWith(SUFFIX)).map((name) => name.slice(0, -SUFFIX.length));
  }

  /** Forgets what was sent for the enrollment (its retention is over, src/activities/document-retention). */
  async remove(enrollmentId: string): Promise<void> {
    await fs.promises.rm(this.fileOf(enrollmentId), { force: true });
  }

  private fileOf(enrollmentId: string): string {
    return path.join(this.dir, `${fileNameOf('sent mail log', enrollmentId)}${SUFFIX}`);
  }
}

/**
 * The mailer, sending each Message-ID once (as far as `log` reaches). The log only spares
 * duplicates: one that cannot be read or written is told to `warn` and the email goes out as
 * without it — failing the send after the server accepted it would only have it sent again.
 */
export function sendingOnce(mailer: Mailer, log: SentLog, warn: (message: string) => void): Mailer {
  const logFailed = (what: string, error: unknown) =>
    warn(
      `sent mail log: could not ${what} (${error instanceof Error ? error.message : String(error)}); sending at least once`,
    );
  return {
    async send(enrollmentId: string, notification: Notification, messageScope?: string) {
      const messageId = messageIdFor(enrollmentId, notification.key, messageScope);
      const known = await log.has(enrollmentId, messageId).catch((error: unknown) => {
        // An ID that can name no file is refused for good, as the mailer would refuse it.
        if (error instanceof UnusableId) throw error;
        logFailed('read it', error);
        return false;
      });
      if (known) return { messageId, alreadySent: true };
      const sent = await mailer.send(enrollmentId, notification, messageScope);
      await log
        .record(enrollmentId, sent.messageId)
        .catch((error: unknown) => logFailed('record a send', error));
      return sent;
    },
    close: () => mailer.close(),
  };
}
