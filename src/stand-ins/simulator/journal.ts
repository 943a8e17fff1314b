/**
 * Keeps the simulator's state across restarts (npm start stopped and started again while
 * enrollments wait): every successful creating call is appended to a JSON-lines file and replayed,
 * with its original time, when the simulator starts again. Outcomes depend only on the input, so
 * replaying the calls rebuilds the same accounts, IDs and provisioning clocks.
 */
import { appendJsonLinesSync, clearJsonLines, readJsonLinesSync } from '../../process/json-lines';
import { privateFile } from '../../process/private-files';

export interface JournalEntry {
  operation: string;
  params: string[];
  body: unknown;
  idempotencyKey: string;
  /** Epoch milliseconds of the original call. */
  at: number;
}

export class Journal {
  // The journal holds applicants' names and numbers: owner-only (mode 600).
  constructor(private readonly file: string) {
    privateFile(file);
  }

  entries(): JournalEntry[] {
    return readJsonLinesSync<JournalEntry>(this.file);
  }

  // Synchronous: the call is on disk before the simulator answers it.
  append(entry: JournalEntry): void {
    appendJsonLinesSync(this.file, [entry]);
  }

  clear(): void {
    clearJsonLines(this.file);
  }
}
