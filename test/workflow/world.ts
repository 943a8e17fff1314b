/**
 * A time-skipping server and a worker whose activities run against the current test's FakeWorld.
 * One server and worker per suite; each test swaps in its own world.
 */
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import { start } from '../harness/driver';
import type { Worker } from '@temporalio/worker';
import { createActivities, type EnrollmentActivities } from '../../src/activities';
import { createEnrollmentWorker } from '../../src/worker/create-worker';
import { FakeWorld, type FakeOptions } from '../harness/fakes';
import { startTimeSkipping, uniqueTaskQueue, workflowBundlePath } from '../harness/temporal';

const HISTORIES = path.join(__dirname, '..', 'replay', 'histories');

export interface WorkflowSuite {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** Gives the next enrollments a fresh set of external systems. */
  useWorld(options?: FakeOptions): FakeWorld;
  /** Starts an enrollment that `endTest` terminates if the test left it running. */
  start(request: EnrollmentRequestInput): Promise<WorkflowHandleWithFirstExecutionRunId>;
  endTest(): Promise<void>;
  /** With RECORD_REPLAY=1, saves the finished run's history as test/replay/histories/<name>.json. */
  record(name: string, handle: WorkflowHandle): Promise<void>;
  close(): Promise<void>;
}

/**
 * A test file's suite: started before its tests, each test's enrollments ended after it, closed
 * after them all. What it returns stands for the suite once started.
 */
export function workflowSuite(name: string): WorkflowSuite {
  let started: WorkflowSuite | undefined;
  beforeAll(async () => {
    started = await startWorkflowSuite(name);
  });
  afterEach(() => started?.endTest());
  afterAll(() => started?.close());
  const running = () => {
    if (!started) throw new Error(`the workflow suite ${name} did not start`);
    return started;
  };
  return {
    get env() {
      return running().env;
    },
    get taskQueue() {
      return running().taskQueue;
    },
    useWorld: (options) => running().useWorld(options),
    start: (request) => running().start(request),
    endTest: () => running().endTest(),
    record: (recording, handle) => running().record(recording, handle),
    close: () => running().close(),
  };
}

async function startWorkflowSuite(name: string): Promise<WorkflowSuite> {
  const env = await startTimeSkipping();
  const taskQueue = uniqueTaskQueue(name);
  let world = new FakeWorld();
  let current = createActivities(world.dependencies());
  // Each activity looks up the current world when it runs.
  const activities = new Proxy({} as EnrollmentActivities, {
    get:
      (_target, name: keyof EnrollmentActivities) =>
      (...args: never[]) =>
        (current[name] as (...a: never[]) => unknown)(...args),
    ownKeys: () => Reflect.ownKeys(current),
    getOwnPropertyDescriptor: (_target, name) => ({
      configurable: true,
      enumerable: true,
      value: current[name as keyof EnrollmentActivities],
    }),
  });
  const worker: Worker = await createEnrollmentWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities,
    workflowBundlePath: workflowBundlePath(),
  });
  const running = worker.run();
  const started: WorkflowHandle[] = [];
  return {
    env,
    taskQueue,
    useWorld(options) {
      world = new FakeWorld(options);
      current = createActivities(world.dependencies());
      return world;
    },
    async start(request) {
      const handle = await start(env.client, taskQueue, request);
      started.push(handle);
      return handle;
    },
    async endTest() {
      for (const { workflowId } of started.splice(0)) {
        const handle = env.client.workflow.getHandle(workflowId);
        // The time-skipping server leaks its time lock when a workflow is terminated while an
        // activity or a workflow task is under way (an email beside the flow, say): let them finish.
        const description = await untilIdle(handle, 20_000);
        // It may finish between describe and terminate; that is fine too.
        if (description.status.name === 'RUNNING')
          await handle.terminate('left running by a test').catch(() => undefined);
      }
      await releaseLeakedTimeLock(env);
    },
    async record(name, handle) {
      await recordHistory(name, handle);
    },
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/**
 * Waits (up to `timeoutMs`) until the run has no activity and no workflow task under way; its
 * description then. The time-skipping server's describe may not report a workflow task under way:
 * history says it too (a task scheduled or started, not yet completed, is the last event).
 */
export async function untilIdle(handle: WorkflowHandle, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const taskUnderWay = async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    const last = events.at(-1);
    return !!(last?.workflowTaskScheduledEventAttributes || last?.workflowTaskStartedEventAttributes);
  };
  const busy = async (d: Awaited<ReturnType<typeof handle.describe>>) =>
    d.status.name === 'RUNNING' &&
    (!!d.raw.pendingActivities?.length || !!d.raw.pendingWorkflowTask || (await taskUnderWay()));
  let description = await handle.describe();
  while ((await busy(description)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    description = await handle.describe();
  }
  return description;
}

/**
 * The wait above does not see everything under way: now and then a terminated run still leaves
 * the server's time lock held, and the next test's timers never fire. A day of server time must
 * pass at once when nothing holds the lock; if it does not, release the leaked lock.
 */
async function releaseLeakedTimeLock(env: TestWorkflowEnvironment): Promise<void> {
  const probe = env.sleep('1 day').then(() => 'free' as const);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    probe,
    new Promise<'held'>((resolve) => (timer = setTimeout(() => resolve('held'), 3_000))),
  ]);
  clearTimeout(timer);
  if (outcome === 'free') return;
  await env.connection.testService?.unlockTimeSkipping({});
  await probe;
}

/**
 * With RECORD_REPLAY=1, saves the run's history as test/replay/histories/<name>.json once it
 * closed (a handle with a run ID: that run, e.g. one that continued as new).
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_REPLAY !== '1') return;
  await handle.result();
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES, `${name}.json`), historyToJSON(history));
}
