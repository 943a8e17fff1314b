/**
 * A worker whose "create the work account" step fails (non-retryable) while `failing` is set, on a
 * task queue of its own next to a service stack: lets operator tools see a failed enrollment and
 * run the step again once the cause is gone.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { createActivities } from '../../src/activities';
import { createEnrollmentWorker } from '../../src/worker/create-worker';
import { createDependencies } from '../../src/worker/dependencies';
import type { ServiceStack } from './stack';
import { TEST_KEY_RING } from './keys';
import { uniqueTaskQueue, workflowBundlePath } from './temporal';

export interface FlakyWorker {
  taskQueue: string;
  failing: boolean;
  close(): Promise<void>;
}

export async function startFlakyWorker(stack: ServiceStack): Promise<FlakyWorker> {
  const taskQueue = uniqueTaskQueue('flaky');
  const dependencies = createDependencies({ ...stack.config, CSP_TASK_QUEUE: taskQueue });
  const real = createActivities(dependencies);
  const flaky: FlakyWorker = { taskQueue, failing: true, close: async () => {} };
  const worker = await createEnrollmentWorker({
    connection: stack.temporal.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: {
      ...real,
      async createWorkAccount(input: Parameters<typeof real.createWorkAccount>[0]) {
        if (flaky.failing)
          throw ApplicationFailure.nonRetryable('work account quota exceeded (test)', 'PartnerCenterRefused');
        return real.createWorkAccount(input);
      },
    },
    workflowBundlePath: workflowBundlePath(),
    keyRing: TEST_KEY_RING,
  });
  const running = worker.run();
  flaky.close = async () => {
    worker.shutdown();
    await running;
    dependencies.mail.close();
  };
  return flaky;
}
