/**
 * Runs the enrollment worker until told to stop. The workflow bundle is prebuilt by
 * `npm run build`, so start-up runs no webpack.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createActivities } from '../activities';
import type { Config } from '../config';
import { connectWorker, temporalSettings } from '../config/temporal';
import { encryptedDataConverter } from '../codec/data-converter';
import { keyRingFrom } from '../codec/from-config';
import { createEnrollmentWorker } from './create-worker';
import { createDependencies } from './dependencies';
import { limitWorkflowHeap, workflowHeapMb } from './workflow-heap';

export interface RunningWorker {
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  /** Stops polling, lets running tasks finish within the grace time, then closes connections. */
  stop(): Promise<void>;
}

export async function startWorker(config: Config): Promise<RunningWorker> {
  const bundle = path.resolve(config.CSP_WORKFLOW_BUNDLE);
  if (!fs.existsSync(bundle)) throw new Error(`no workflow bundle at ${bundle}: run npm run build first`);
  const temporal = temporalSettings(config);
  const connection = await connectWorker(temporal);
  const dependencies = createDependencies(config);
  const maxCachedWorkflows = config.CSP_WORKER_MAX_CACHED_WORKFLOWS;
  limitWorkflowHeap(workflowHeapMb(maxCachedWorkflows, config.CSP_WORKER_WORKFLOW_HEAP_MB));
  const worker = await createEnrollmentWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: config.CSP_TASK_QUEUE,
    activities: createActivities(dependencies),
    workflowBundlePath: bundle,
    dataConverter: encryptedDataConverter(keyRingFrom(config)),
    overrides: { maxCachedWorkflows },
  });
  const done = worker.run().finally(async () => {
    dependencies.mail.close();
    await connection.close();
  });
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
