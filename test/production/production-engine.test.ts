/**
 * The production engine, proven on this machine: the stack of `npm run stack:production`
 * (PostgreSQL, the Temporal server with mutual TLS and PostgreSQL visibility, two worker processes,
 * the API and codec server as processes, the simulator and mailbox) run by the same code, then
 * exercised as users and failures would: who may connect, enrollments while a worker, the server
 * and the database go down, one enrollment through the HTTP API, the review queue and lists.
 *
 * Tests run in order on one stack (it takes seconds to start); the fault test runs first so the
 * simulator's ledger holds only its enrollments when it is tallied.
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { agreementOffered, type EnrollmentStatus } from '../../src/domain/status';
import { clientTls, makeCertificates, SERVER_NAME } from '../../src/tooling/certificates';
import { startProductionStack, type ProductionStack } from '../../src/tooling/production-stack';
import {
  callAs,
  enrollToReview,
  personaTokens,
  waitForApiStatus,
  waitForQueue,
  type HttpApi,
} from '../harness/api-stack';
import { TEST_KEY_RING } from '../harness/keys';
import { uniqueTaskQueue, workflowBundlePath } from '../harness/temporal';
import { enrollments, playAll, type Enrollment } from '../faults/support/play';
import { expectNothingLostOrDoubled, report, tally } from '../faults/support/tally';

const N = 6;
/** Long enough that provisioning is seen under way and its worker killed; heartbeats every 200 ms. */
const PROVISIONING_MS = 3_000;

let dir: string;
let stack: ProductionStack;
let connection: Connection;
let client: Client;
let api: HttpApi;
const taskQueue = uniqueTaskQueue('production');

beforeAll(async () => {
  const unavailable = process.env.CSP_TEST_PRODUCTION_UNAVAILABLE;
  if (unavailable) throw new Error(`the production Temporal server could not be obtained: ${unavailable}`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-production-'));
  stack = await startProductionStack({
    dir,
    taskQueue,
    keyRing: TEST_KEY_RING,
    apiTokens: personaTokens(),
    operatorToken: randomBytes(18).toString('base64url'),
    workflowBundle: workflowBundlePath(),
    simulator: { provisioningMs: PROVISIONING_MS, latencyMs: 0, tasksDoneWhenReady: true },
  });
  connection = await Connection.connect(stack.engine.connectionOptions('cli'));
  client = new Client({ connection, dataConverter: encryptedDataConverter(TEST_KEY_RING) });
  api = { call: callAs(stack.api.url), stack: { simulator: stack.simulator } };
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

test('the server runs on PostgreSQL with SQL visibility; a client without a certificate of its CA is refused', async () => {
  const info = await connection.workflowService.getClusterInfo({});
  expect({ persistence: info.persistenceStore, visibility: info.visibilityStore }).toEqual({
    persistence: 'postgres12',
    visibility: 'postgres12',
  });

  const { address } = stack.engine;
  const ca = fs.readFileSync(path.join(stack.engine.tlsDir, 'ca.pem'));
  // Lazy connections, so a refused one is closed too (no channel left retrying in the background).
  const attempt = async (options: Omit<ConnectionOptions, 'address'>) => {
    const c = Connection.lazy({ ...options, address, connectTimeout: 3_000 });
    try {
      await c.ensureConnected();
      return 'connected';
    } finally {
      await c.close();
    }
  };
  // A stranger's CA, made by the same script: a valid certificate, not one this server trusts.
  const strangerDir = path.join(dir, 'stranger-tls');
  makeCertificates(strangerDir);

  await expect(attempt({})).rejects.toThrow();
  await expect(
    attempt({ tls: { serverRootCACertificate: ca, serverNameOverride: SERVER_NAME } }),
  ).rejects.toThrow();
  await expect(
    attempt({ tls: { ...clientTls(strangerDir, 'cli'), serverRootCACertificate: ca } }),
  ).rejects.toThrow();
  await expect(attempt({ tls: clientTls(stack.engine.tlsDir, 'cli') })).resolves.toBe('connected');
});

/** The first enrollment whose provisioning follow-up runs on a worker: its handle and that worker's PID. */
async function provisioningUnderWay(list: Enrollment[]): Promise<{ enrollment: Enrollment; pid: number }> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    for (const enrollment of list) {
      const description = await enrollment.handle?.describe().catch(() => undefined);
      const following = description?.raw.pendingActivities?.find(
        (activity) => activity.activityType?.name === 'awaitProvisioning' && activity.lastWorkerIdentity,
      );
      // Worker identities are "<pid>@<host>" (the SDK's default).
      if (following) return { enrollment, pid: Number(following.lastWorkerIdentity!.split('@')[0]) };
    }
    await delay(100);
  }
  throw new Error('no enrollment reached provisioning within 90 s');
}

test('a worker SIGKILLed mid-provisioning, the Temporal server SIGKILLed, PostgreSQL restarted: nothing lost or duplicated', async () => {
  const started = Date.now();
  const policy = { provisioning: { pollEvery: '200 ms', heartbeatTimeout: '2 s' } } as const;
  const [first, second] = [
    enrollments(N / 2, policy),
    enrollments(N / 2, policy, (Date.now() + 7) % 100_000),
  ];
  const context = { client, taskQueue, simulator: stack.simulator, deadlineMs: 150_000 };
  const firstRun = playAll(context, first);

  // 1. The worker following an enrollment's provisioning dies; another process takes over.
  const { enrollment: provisioned, pid } = await provisioningUnderWay(first);
  const victim = stack.workers.find((worker) => worker.pid === pid);
  if (!victim) throw new Error(`provisioning runs on PID ${pid}, not one of the stack's workers`);
  await victim.kill();
  await stack.startWorker();

  // 2. A second wave starts; while it runs, the Temporal server dies and comes back.
  const secondRun = playAll(context, second);
  await delay(1_500);
  // The faults must hit work in flight: count what runs just before each.
  const running = async () =>
    Number((await client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`)).count);
  const runningAtServerKill = await running();
  await stack.engine.server.kill();
  await delay(2_000);
  await stack.engine.server.start();

  // 3. PostgreSQL restarts under the server.
  await delay(1_500);
  const runningAtPostgresRestart = await running();
  await stack.engine.postgres.stop();
  await delay(1_000);
  await stack.engine.postgres.start();

  const outcomes = [...(await firstRun), ...(await secondRun)];
  const figures = tally('production', outcomes, stack.simulator, stack.mailbox.messages(), 1);
  const duplicated = Object.values(figures.duplicates).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `production: lost ${figures.lost}, duplicated ${duplicated} after 2 SIGKILLs and a restart ` +
      `(a worker SIGKILLed mid-provisioning; the Temporal server SIGKILLed with ${runningAtServerKill} ` +
      `enrollments running, then started again; PostgreSQL restarted with ${runningAtPostgresRestart} running); ` +
      `${N} enrollments, ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  // The second wave had just started: the server died under running enrollments.
  expect(runningAtServerKill).toBeGreaterThan(0);
  report(figures, 'production engine: PostgreSQL, mutual TLS, worker processes');
  expectNothingLostOrDoubled(figures);

  // The killed worker really held the follow-up: it ran again, as a later attempt, elsewhere.
  const history = await provisioned.handle!.fetchHistory();
  const attempts = history.events
    ?.filter((event) => event.activityTaskStartedEventAttributes)
    .map((event) => ({
      attempt: event.activityTaskStartedEventAttributes!.attempt,
      identity: event.activityTaskStartedEventAttributes!.identity,
    }))
    .filter(({ identity }) => identity && !identity.startsWith(`${pid}@`));
  expect(attempts?.some(({ attempt }) => (attempt ?? 0) > 1)).toBe(true);
}, 240_000);

test('an enrollment through the HTTP API, from start to provisioning, on the service’s own processes', async () => {
  const id = await enrollToReview(api);
  expect((await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {})).status).toBe(200);
  const decided = await api.call('reviewer', 'POST', `/enrollments/${id}/decision`, { decision: 'approve' });
  expect(decided.status).toBe(200);
  const offered = await waitForApiStatus(api, 'applicant', id, agreementOffered, 'the agreement offer');
  const accepted = await api.call('applicant', 'POST', `/enrollments/${id}/agreement`, {
    agreementVersion: offered.agreement.version,
    textDigest: offered.agreement.textDigest,
  });
  expect(accepted.status).toBe(200);
  // The API takes no policy from applicants: provisioning is followed every minute, as in production.
  const provisioning = await waitForApiStatus(
    api,
    'operator',
    id,
    (s: EnrollmentStatus) => s.stage === 'provisioning' && !!s.provisioning.provisioningId,
    'provisioning',
  );
  expect(provisioning.provisioning.attempts).toBe(1);

  // The simulator's ledger, as its HTTP control route shows it: provisioning started once.
  const ledger = (await (await fetch(`${stack.simulator.url}/__simulator/ledger`)).json()) as {
    entries: { operation: string; idempotencyKey: string | null; replayed: boolean }[];
  };
  const started = ledger.entries.filter(
    (entry) =>
      entry.operation === 'startProvisioning' &&
      entry.idempotencyKey?.startsWith(`${provisioning.attemptId}/`),
  );
  expect(started.filter((entry) => !entry.replayed)).toHaveLength(1);
  // Its follow-up would poll for minutes more and hold up the workers' shutdown.
  await client.workflow.getHandle(id).terminate('proven: provisioning under way');
}, 120_000);

test('the review queue pages by due date and operators list by stage, on PostgreSQL visibility', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await enrollToReview(api));

  // One review a page: the queue cuts windows of due dates with visibility counts (Datetime bounds).
  await waitForQueue(api, 'reviewer', '/reviews', (items) =>
    ids.every((id) => items.some((item) => item.enrollmentId === id)),
  );
  const pages: { enrollmentId: string; reviewDue: string }[][] = [];
  let token: string | undefined;
  do {
    const page = await api.call(
      'reviewer',
      'GET',
      `/reviews?pageSize=1${token ? `&pageToken=${token}` : ''}`,
    );
    expect(page.status).toBe(200);
    pages.push(page.body.items);
    token = page.body.nextPageToken;
  } while (token && pages.length < 20);
  const walked = pages.flat();
  expect(walked.map((item) => item.enrollmentId)).toEqual(expect.arrayContaining(ids));
  expect(new Set(walked.map((item) => item.enrollmentId)).size).toBe(walked.length);
  const dues = walked.map((item) => item.reviewDue);
  expect([...dues].sort()).toEqual(dues);

  // Operators: every enrollment in review; the applicant: only their own.
  const inReview = await api.call('operator', 'GET', '/enrollments?stage=review');
  expect(inReview.body.items.map((item: { enrollmentId: string }) => item.enrollmentId)).toEqual(
    expect.arrayContaining(ids),
  );
  const completed = await api.call('operator', 'GET', '/enrollments?endState=completed');
  expect(completed.body.items).toHaveLength(N);
  const mine = await api.call('otherApplicant', 'GET', '/enrollments');
  expect(mine.status).toBe(200);
  expect(mine.body.items).toEqual([]);
}, 180_000);
