/**
 * `npm start` lives and dies as one, with the real processes: Ctrl-C (SIGINT to its process group,
 * as a terminal sends it) stops the API, then the worker — whose step in flight still completes
 * against a Temporal that is still up — then the rest, and no process is left; a part that dies
 * takes everything down with a non-zero exit; a SIGKILLed npm start leaves no orphan either; a
 * port in use is named by its setting.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/tooling/free-port';
import { startBody } from '../harness/api-stack';
import { alive, startNpmStart, waitUntil, type NpmStart } from '../harness/npm-start';

const STEP_LATENCY_MS = 3_000;
let running: NpmStart | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
}, 60_000);

/** The watchdog between npm start and the dev server: the dev server's parent. */
function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const lineIndex = (output: string, line: string) => {
  // npm start's own lines are JSON, like its parts'.
  const index = output.indexOf(`"message":"${line} stopped"`);
  expect({ line, index }).toEqual({ line, index: expect.any(Number) });
  expect(index).toBeGreaterThan(-1);
  return index;
};

async function withTemporal<T>(port: number, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

test('Ctrl-C stops the API, then the worker draining its step while Temporal is up, then the rest', async () => {
  running = await startNpmStart();
  const { ports, dataDir } = running;
  const watchdogPid = parentOf(running.devServerPid);

  // Development files with personal data or secrets are the owner's only.
  expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  for (const file of [
    'payload-keys.json',
    'mailbox.jsonl',
    'simulator.jsonl',
    'temporal.log',
    'temporal.sqlite',
  ])
    expect({ file, mode: fs.statSync(path.join(dataDir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });

  // A slow external system, so the first step is still running when Ctrl-C comes.
  const faults = await fetch(`http://127.0.0.1:${ports.simulator}/__simulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ latencyMs: STEP_LATENCY_MS }),
  });
  expect(faults.status).toBe(200);
  const token = /applicant\s+applicant-1\s+(\S+)/.exec(running.output())![1];
  const started = await fetch(`http://127.0.0.1:${ports.api}/enrollments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(startBody()),
  });
  expect(started.status).toBe(201);
  const { enrollmentId } = (await started.json()) as { enrollmentId: string };
  const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
  await waitUntil('the first step runs on the worker', () =>
    withTemporal(ports.temporal, async (client) => {
      // Undecoded: this client holds no payload key, and the memo is sealed.
      const raw = await client.workflowService.describeWorkflowExecution({
        namespace: 'default',
        execution: { workflowId: enrollmentId },
      });
      return (raw.pendingActivities ?? []).some((activity) => activity.state === STARTED);
    }),
  );

  running.signalGroup('SIGINT');
  expect(await running.exited).toEqual({ code: 0, signal: null });
  const output = running.output();
  expect(lineIndex(output, 'API')).toBeLessThan(lineIndex(output, 'worker'));
  expect(lineIndex(output, 'worker')).toBeLessThan(lineIndex(output, 'simulator'));
  expect(lineIndex(output, 'simulator')).toBeLessThan(lineIndex(output, 'Temporal dev server'));
  expect(output).not.toMatch(/connection refused|ECONNREFUSED/i);
  expect(alive(running.devServerPid)).toBe(false);
  expect(alive(watchdogPid)).toBe(false);
  for (const port of Object.values(ports))
    expect({ port, refused: await refused(port) }).toEqual({ port, refused: true });

  // Started again on the same data: the step that was in flight completed on its first attempt.
  const before = running;
  await before.close({ keepData: true });
  running = await startNpmStart(dataDir);
  const history = await withTemporal(running.ports.temporal, (client) =>
    client.workflow.getHandle(enrollmentId).fetchHistory(),
  );
  const events = history.events ?? [];
  const attempts = events.flatMap((e) =>
    e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : [],
  );
  expect(attempts[0]).toBe(1);
  expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
  expect(
    events.filter((e) => e.activityTaskTimedOutEventAttributes || e.activityTaskFailedEventAttributes),
  ).toEqual([]);
}, 180_000);

test('when a part dies, npm start stops every other part and exits non-zero', async () => {
  running = await startNpmStart();
  const watchdogPid = parentOf(running.devServerPid);
  process.kill(running.devServerPid, 'SIGKILL');
  const { code } = await running.exited;
  expect(code).toBe(1);
  expect(running.output()).toMatch(/Temporal dev server exited .*: stopping/);
  expect(lineIndex(running.output(), 'API')).toBeLessThan(lineIndex(running.output(), 'codec server'));
  await waitUntil('the watchdog is gone', () => !alive(watchdogPid));
  for (const port of Object.values(running.ports))
    expect({ port, refused: await refused(port) }).toEqual({ port, refused: true });
}, 120_000);

test('a SIGKILLed npm start leaves no Temporal server behind', async () => {
  running = await startNpmStart();
  const watchdogPid = parentOf(running.devServerPid);
  running.process.kill('SIGKILL');
  expect(await running.exited).toEqual({ code: null, signal: 'SIGKILL' });
  // The watchdog sees its lifeline close and stops the dev server.
  await waitUntil('the dev server is gone', () => !alive(running!.devServerPid));
  await waitUntil('the watchdog is gone', () => !alive(watchdogPid));
  expect(await refused(running.ports.temporal)).toBe(true);
}, 120_000);

test('a port in use is named by its setting; npm start stops what it started and leaves nothing behind', async () => {
  const blocker = net.createServer();
  const taken = await freePort();
  await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-npm-start-'));
  try {
    // The metrics exporter (the SDK's runtime, set up first) once crashed npm start with a stack trace.
    await expect(startNpmStart(dataDir, { CSP_METRICS_PORT: String(taken) })).rejects.toThrow(
      `port ${taken} is in use (CSP_METRICS_PORT): stop what holds it, or set CSP_METRICS_PORT to a free port`,
    );
    // The API starts last: everything before it, the Temporal dev server included, is stopped again.
    const temporalPort = await freePort();
    const failed = startNpmStart(dataDir, {
      CSP_API_PORT: String(taken),
      CSP_TEMPORAL_PORT: String(temporalPort),
    });
    await expect(failed).rejects.toThrow(`port ${taken} is in use (CSP_API_PORT)`);
    await expect(failed).rejects.toThrow(/Temporal dev server stopped/);
    expect(await refused(temporalPort)).toBe(true);
  } finally {
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
