/**
 * Keeps the simulator's state across restarts (npm start stopped and started again while
 * enrollments wait): every successful creating call is appended to a JSON-lines file and replayed,
 * with its original time, when the simulator starts again. Outcomes depend only on the input, so
 * replaying the calls rebuilds the same accounts, IDs and provisioning clocks.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface JournalEntry {
  operation: string;
  params: string[];
  body: unknown;
  idempotencyKey: string;
  /** Epoch milliseconds of the original call. */
  at: number;
}

export class Journal {
  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  entries(): JournalEntry[] {
    if (!fs.existsSync(this.file)) return [];
    return fs
      .readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JournalEntry);
  }

  append(entry: JournalEntry): void {
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  clear(): void {
    fs.rmSync(this.file, { force: true });
  }
}
