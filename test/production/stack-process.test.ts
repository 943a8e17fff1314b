/**
 * `npm run stack:production` as a person runs it (node dist/scripts/stack-production.js, in a
 * process group of its own like a terminal's): the banner, Ctrl-C stopping every process it
 * started, and — started again on the same data — the Temporal server dying on its own taking the
 * whole stack down with exit code 1, nothing left behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alive, waitUntil } from '../harness/npm-start';

const ROOT = path.resolve(__dirname, '..', '..');
let dataDir: string;

beforeAll(() => {
  if (process.env.CSP_TEST_PRODUCTION_UNAVAILABLE)
    throw new Error(
      `the production Temporal server is not available: ${process.env.CSP_TEST_PRODUCTION_UNAVAILABLE}`,
    );
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-stack-'));
  // PostgreSQL runs as its own user and passes through this folder (see src/tooling/postgres.ts).
  fs.chmodSync(dataDir, 0o711);
});
afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every process below `pid` (children, theirs, …), by /proc. */
function descendants(pid: number): { pid: number; name: string }[] {
  const all = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(entry), ppid, name }];
      } catch {
        return [];
      }
    });
  const found: { pid: number; name: string }[] = [];
  const walk = (parent: number) => {
    for (const process of all.filter((p) => p.ppid === parent)) {
      found.push({ pid: process.pid, name: process.name });
      walk(process.pid);
    }
  };
  walk(pid);
  return found;
}

async function startStack() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CSP_|TEMPORAL_|SMTP_)/.test(name)),
  );
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'stack-production.js')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, CSP_DATA_DIR: dataDir, CSP_WORKFLOW_BUNDLE: process.env.CSP_TEST_WORKFLOW_BUNDLE },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  // Watched, not awaited: the wait below polls the flag (exited never rejects).
  void exited.then(() => (gone = true));
  await waitUntil(
    'stack:production prints its banner',
    () => {
      if (gone) throw new Error(`stack:production exited during start-up:\n${output}`);
      return output.includes('Ctrl-C stops everything.');
    },
    240_000,
  );
  return { child, exited, output: () => output, processes: descendants(child.pid!) };
}

test('Ctrl-C stops every process; started again on its data, a Temporal server dying stops everything', async () => {
  const first = await startStack();
  expect(first.output()).toMatch(/Temporal server\s+127\.0\.0\.1:\d+ \(1\.29\.1, mutual TLS/);
  expect(first.output()).toMatch(/Workers\s+2 processes/);
  const names = first.processes.map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining(['postgres', 'temporal-server']));
  expect(names.filter((name) => name === 'node').length).toBeGreaterThanOrEqual(4); // 2 workers, API, codec
  process.kill(-first.child.pid!, 'SIGINT');
  await expect(first.exited).resolves.toBe(0);
  await waitUntil(
    'every process of the first stack is gone',
    () => first.processes.every((p) => !alive(p.pid)),
    30_000,
  );

  const second = await startStack();
  const server = second.processes.find((p) => p.name === 'temporal-server')!;
  process.kill(server.pid, 'SIGKILL');
  await expect(second.exited).resolves.toBe(1);
  expect(second.output()).toMatch(/temporal-server exited on its own \(SIGKILL\); stopping everything/);
  await waitUntil(
    'every process of the second stack is gone',
    () => second.processes.every((p) => !alive(p.pid)),
    30_000,
  );
}, 600_000);
