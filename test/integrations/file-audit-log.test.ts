/**
 * The audit log's JSON-lines store: entries keyed by attempt and number, so a batch written again
 * (a retried activity, a replayed run, two workers) is stored once; files for the owner only; a
 * line cut short by a crash does not spoil the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoggedAuditEntry } from '../../src/integrations/audit/audit-log';
import { FileAuditLog } from '../../src/integrations/audit/file-audit-log';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-audit-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ref = { enrollmentId: 'enrollment-91310000MA1FL8XQ3K', attemptId: '3f1c9a7e-attempt' };
const entries = (from: number, to: number): LoggedAuditEntry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    seq: from + i,
    at: new Date(Date.UTC(2026, 10, 20, 8, 0, from + i)).toISOString(),
    actor: 'system',
    action: `step ${from + i}`,
    outcome: 'done',
  }));
const fileOf = () => path.join(dir, ref.enrollmentId, `${ref.attemptId}.jsonl`);

test('a batch written again, or overlapping, is stored once; pages follow the numbers', async () => {
  const log = new FileAuditLog(dir);
  await log.append(ref, entries(1, 5));
  await log.append(ref, entries(1, 5)); // the activity retried
  await log.append(ref, entries(4, 8)); // a run replayed, then went on
  expect(fs.readFileSync(fileOf(), 'utf8').trim().split('\n')).toHaveLength(8);
  expect(await log.read(ref, { after: 0, limit: 100 })).toEqual(entries(1, 8));
  expect(await log.read(ref, { after: 3, limit: 2 })).toEqual(entries(4, 5));
  expect(await log.read(ref, { after: 8, limit: 2 })).toEqual([]);
  // Another attempt of the same enrollment has its own log.
  expect(await log.read({ ...ref, attemptId: 'another' }, { after: 0, limit: 10 })).toEqual([]);
});

test('two writers at once (two workers sharing the folder) leave each entry once to readers', async () => {
  const [one, two] = [new FileAuditLog(dir), new FileAuditLog(dir)];
  await Promise.all([
    one.append(ref, entries(1, 20)),
    two.append(ref, entries(1, 20)),
    one.append(ref, entries(1, 20)),
  ]);
  expect(await new FileAuditLog(dir).read(ref, { after: 0, limit: 100 })).toEqual(entries(1, 20));
});

test('files are the owner’s only (they name people and what they did)', async () => {
  await new FileAuditLog(dir).append(ref, entries(1, 1));
  expect(fs.statSync(fileOf()).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(fileOf())).mode & 0o777).toBe(0o700);
});

test('a line cut short by a crash is skipped, and the next batch starts on a line of its own', async () => {
  const log = new FileAuditLog(dir);
  await log.append(ref, entries(1, 2));
  fs.appendFileSync(fileOf(), JSON.stringify(entries(3, 3)[0]).slice(0, 25));
  expect(await log.read(ref, { after: 0, limit: 10 })).toEqual(entries(1, 2));
  await log.append(ref, entries(3, 4));
  expect(await log.read(ref, { after: 0, limit: 10 })).toEqual(entries(1, 4));
});

test('IDs that could leave the folder are refused, for good', async () => {
  const log = new FileAuditLog(dir);
  for (const bad of [
    { ...ref, attemptId: '../../etc/passwd' },
    { ...ref, enrollmentId: '..' },
    { ...ref, attemptId: '' },
  ])
    await expect(log.append(bad, entries(1, 1))).rejects.toMatchObject({ retryable: false });
  expect(fs.readdirSync(dir)).toEqual([]);
});
