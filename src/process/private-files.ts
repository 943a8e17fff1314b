/**
 * Development files that hold personal data or secrets (mailbox, simulator journal, logs, payload
 * keys): readable by their owner only, also when an earlier version created them world-readable.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;

function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates the file if needed (empty) and makes it private; returns its path, for appends. */
export function privateFile(file: string): string {
  privateDir(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  fs.chmodSync(file, PRIVATE_FILE_MODE);
  return file;
}

export function writePrivateFile(file: string, content: string): void {
  fs.writeFileSync(privateFile(file), content);
}
