/**
 * The development loop of Temporal's samples: a developer already runs a Temporal dev server, and
 * `npm start` (the real dist/src/start.js) uses it rather than starting a second one that would
 * clash with it. It says so in its banner, makes its namespace ready there (registered, search
 * attributes added), and on Ctrl-C stops its own parts only: the server it did not start runs on.
 */
import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServerIn, temporalAnswers, type RunningDevServer } from '../../src/tooling/dev-server';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/workflows/definitions';
import { alive, startNpmStart, waitUntil, type NpmStart } from '../harness/npm-start';

const NAMESPACE = 'csp-dev-loop';
let dir: string;
let server: RunningDevServer | undefined;
let running: NpmStart | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-existing-server-'));
  const cli = process.env.CSP_TEST_TEMPORAL_CLI;
  if (!cli) throw new Error('CSP_TEST_TEMPORAL_CLI is not set: run through jest (npm test)');
  server = await startDevServerIn(dir, { cli });
}, 90_000);
afterAll(async () => {
  await running?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Processes whose command line runs a Temporal dev server (the CLI's `server start-dev`). */
function devServerPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.includes('server') && args.includes('start-dev');
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

test('with a dev server already running, npm start uses it, says so and leaves it running', async () => {
  const external = server!;
  const before = devServerPids();
  running = await startNpmStart(undefined, {
    TEMPORAL_ADDRESS: external.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
  });
  const output = running.output();
  expect(output).toContain(`Temporal           using the server already running at ${external.address}`);
  expect(output).not.toContain('started a dev server');
  expect(running.devServerPid).toBeNaN();
  // No second server: no new start-dev process, no SQLite file of its own.
  expect(devServerPids().filter((pid) => !before.includes(pid))).toEqual([]);
  expect(fs.existsSync(path.join(running.dataDir, 'temporal.sqlite'))).toBe(false);

  // Its namespace was made ready on that server, and its worker polls there.
  const connection = await Connection.connect({ address: external.address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace: NAMESPACE,
    });
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(ALL_SEARCH_ATTRIBUTES.map((key) => key.name)),
    );
    await waitUntil('the worker polls the task queue on that server', async () => {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: NAMESPACE,
        taskQueue: { name: 'csp-enrollment' },
      });
      return (pollers ?? []).length > 0;
    });
  } finally {
    await connection.close();
  }

  // Ctrl-C stops npm start's parts; the server it did not start is not one of them.
  running.signalGroup('SIGINT');
  expect(await running.exited).toEqual({ code: 0, signal: null });
  expect(running.output()).not.toMatch(/Temporal dev server stopped/);
  expect(alive(external.pid)).toBe(true);
  expect(await temporalAnswers({ address: external.address })).toBe(true);
}, 180_000);
