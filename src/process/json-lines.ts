/**
 * The JSON-lines files of the service (the audit log, the simulator's journal, the development
 * mailbox): one JSON value a line, appended, private to their owner. A process that dies mid-write
 * leaves a torn last line: readers skip it, and the next append starts on a line of its own, so
 * one crash never costs the lines around it.
 */
import fs from 'node:fs';
import { PRIVATE_FILE_MODE, privateFile } from './private-files';

/** IDs that name files: nothing that could leave the folder. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** An ID no file may be named after: no retry changes that. */
export class UnusableId extends Error {
  override readonly name = 'UnusableId';
  readonly retryable = false;
  constructor(what: string, id: string) {
    super(`${what}: ${JSON.stringify(id.slice(0, 200))} is not a usable ID`);
  }
}

/** `id` as a file name, or an UnusableId naming `what` refused it. */
export function fileNameOf(what: string, id: string): string {
  if (!FILE_NAME.test(id)) throw new UnusableId(what, id);
  return id;
}

/** The values of the file's text, skipping blank lines and torn ones. */
export function parseJsonLines<T>(raw: string): T[] {
  const values: T[] = [];
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      // a line cut short by a crash
    }
  }
  return values;
}

/** The file's values; none when it does not exist. */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  return parseJsonLines<T>(await readIfThere(file));
}

export function readJsonLinesSync<T>(file: string): T[] {
  return fs.existsSync(file) ? parseJsonLines<T>(fs.readFileSync(file, 'utf8')) : [];
}

/** The text to append: the values a line each, after a newline when the last line was left torn. */
function linesAfter(size: number, lastByte: number, values: readonly unknown[]): string {
  const separator = size > 0 && lastByte !== 0x0a ? '\n' : '';
  return `${separator}${values.map((value) => JSON.stringify(value)).join('\n')}\n`;
}

/** Appends the values, one line each. */
export async function appendJsonLines(file: string, values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return;
  const handle = await fs.promises.open(privateFile(file), 'a+', PRIVATE_FILE_MODE);
  try {
    const { size } = await handle.stat();
    const last = Buffer.alloc(1);
    if (size > 0) await handle.read(last, 0, 1, size - 1);
    await handle.appendFile(linesAfter(size, last[0], values));
  } finally {
    await handle.close();
  }
}

/** The same, synchronously: for a stand-in that records a call before it answers it. */
export function appendJsonLinesSync(file: string, values: readonly unknown[]): void {
  if (values.length === 0) return;
  const fd = fs.openSync(privateFile(file), 'a+', PRIVATE_FILE_MODE);
  try {
    const { size } = fs.fstatSync(fd);
    const last = Buffer.alloc(1);
    if (size > 0) fs.readSync(fd, last, 0, 1, size - 1);
    fs.appendFileSync(fd, linesAfter(size, last[0], values));
  } finally {
    fs.closeSync(fd);
  }
}

/** Empties the file, keeping it private. */
export function clearJsonLines(file: string): void {
  fs.writeFileSync(privateFile(file), '');
}

async function readIfThere(file: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
