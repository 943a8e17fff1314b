/**
 * Fault: the Temporal dev server itself is stopped (SIGTERM) in the middle of many enrollments
 * and started again on the same SQLite file and port. The worker process and the client were
 * connected before; they reconnect on their own, and every enrollment resumes where it was.
 * Runs on a dev server of its own, so the server shared by the other suites is not disturbed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startDevServer, type RunningDevServer } from '../../src/tooling/dev-server';
import { freePort } from '../../src/tooling/free-port';
import { startFaultStack, type FaultStack } from './support/fault-stack';
import { enrollments, playAll } from './support/play';
import { expectNothingLostOrDoubled, report, tally } from './support/tally';
import { WorkerProcesses } from './support/worker-process';

const N = 100;
const RESTARTS = 2;
const DOWN_MS = 3_000;
let dir: string;
let server: RunningDevServer | undefined;
let stack: FaultStack;
let workers: WorkerProcesses;
let startServer: () => Promise<RunningDevServer>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-fault-restart-'));
  const cli = process.env.CSP_TEST_TEMPORAL_CLI;
  if (!cli) throw new Error('CSP_TEST_TEMPORAL_CLI is not set: run through jest (npm test)');
  // Fixed ports: the worker and client must find the server again at the same address.
  const [port, uiPort] = [await freePort(), await freePort()];
  startServer = () =>
    startDevServer({
      cli,
      dbFile: path.join(dir, 'temporal.sqlite'),
      ip: '127.0.0.1',
      port,
      uiPort,
      logFile: path.join(dir, 'temporal.log'),
    });
  server = await startServer();
  stack = await startFaultStack({ name: 'fault-restart', temporalAddress: server.address });
  workers = new WorkerProcesses(stack.config);
  workers.start();
}, 90_000);
afterAll(async () => {
  await workers?.killAll();
  await stack?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('the Temporal server restarts mid-run on the same database: nothing lost, nothing created twice', async () => {
  const list = enrollments(N, { provisioning: { pollEvery: '200 ms', heartbeatTimeout: '2 s' } });
  const started = Date.now();
  const run = playAll({ ...stack, deadlineMs: 360_000 }, list);
  for (let i = 0; i < RESTARTS; i++) {
    await delay(8_000);
    await server!.stop();
    server = undefined;
    await delay(DOWN_MS);
    server = await startServer();
  }
  const outcomes = await run;

  const figures = tally('temporal-restart', outcomes, stack.simulator, stack.mailbox.messages(), 1);
  report(
    figures,
    `server restarts ${RESTARTS} (down ${DOWN_MS / 1000} s each), same worker process and client; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  expectNothingLostOrDoubled(figures);
  // The worker reconnected by itself: it is the process started before the first restart.
  expect(workers.started).toBe(1);
  expect(workers.alive).toHaveLength(1);
}, 420_000);
