/**
 * Two worker processes share the task queue; the one following provisioning is killed with
 * SIGKILL. The other takes over when the heartbeat times out and the enrollment completes, with
 * one provisioning request in the simulator's ledger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ownChild } from '../../src/tooling/child-processes';
import { enrollmentRequest, reviewer } from '../fixtures';
import { acceptOffer, approve, start, submitApplication, waitForReview } from '../harness/driver';
import { TEST_KEY_RING } from '../harness/keys';
import { startServiceStack, type ServiceStack } from '../harness/stack';
import { uniqueTaskQueue, workflowBundlePath } from '../harness/temporal';

let stack: ServiceStack;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  // Provisioning takes 6 s here, long enough to kill the worker in the middle of it.
  stack = await startServiceStack('failover-stack', { provisioningMs: 6_000 });
});
afterAll(async () => {
  for (const worker of workers)
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await stack?.close();
});

function startWorkerProcess(taskQueue: string): ChildProcess {
  const [keyId, key] = [...TEST_KEY_RING.keys.entries()][0];
  const child = spawn(process.execPath, [path.resolve('dist/src/worker/main.js')], {
    env: {
      ...process.env,
      ...Object.fromEntries(
        Object.entries(stack.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
      ),
      CSP_TASK_QUEUE: taskQueue,
      CSP_WORKFLOW_BUNDLE: workflowBundlePath(),
      CSP_PAYLOAD_KEYS: `${keyId}=${key.toString('base64')}`,
      CSP_METRICS_PORT: '0',
      CSP_LOG_LEVEL: 'WARN',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Killed too if the test process ends without afterAll (an interrupted run).
  workers.push(ownChild(child));
  return child;
}

test('the enrollment completes on the other worker, with one provisioning request', async () => {
  const taskQueue = uniqueTaskQueue('failover');
  const [first, second] = [startWorkerProcess(taskQueue), startWorkerProcess(taskQueue)];
  const handle = await start(
    stack.temporal.client,
    taskQueue,
    enrollmentRequest({
      policy: {
        phoneVerification: { required: false },
        provisioning: { pollEvery: '300 ms', heartbeatTimeout: '2 s' },
      },
    }),
  );
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await acceptOffer(handle);

  // Find the process that follows provisioning (its identity is pid@host) and kill it.
  let follower: ChildProcess | undefined;
  for (let i = 0; i < 200 && !follower; i++) {
    const { raw } = await handle.describe();
    const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'awaitProvisioning');
    const pid = Number(pending?.lastWorkerIdentity?.split('@')[0]);
    follower = [first, second].find((worker) => worker.pid === pid);
    if (!follower) await delay(50);
  }
  expect(follower).toBeDefined();
  follower!.kill('SIGKILL');

  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  const survivor = follower === first ? second : first;
  expect(survivor.exitCode).toBeNull();
  expect(stack.simulator.ledger.creationCounts().startProvisioning).toBe(1);
}, 150_000);
