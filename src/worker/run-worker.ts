/**
 * Runs the enrollment worker until told to stop. The workflow bundle is prebuilt by
 * `npm run build`, so start-up runs no webpack; in development (NODE_ENV=development, as
 * `npm run dev` sets it) the workflows are bundled from src/ at start, as Temporal's samples do,
 * so a change needs no bundle step.
 */
import { Runtime } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { createActivities } from '../activities';
import type { Config } from '../config';
import { connectWorker, serviceClient, temporalSettings } from '../config/temporal';
import { createRetentionActivities } from '../activities/document-retention';
import { encryptedDataConverter } from '../codec/data-converter';
import { documentStoreFrom } from '../integrations/documents/from-config';
import { keepRetentionScheduled } from './retention-schedule';
import { keyRingFrom } from '../codec/from-config';
import { repositoryPath } from '../tooling/repository';
import { bundleWorkflows } from './bundle';
import { createEnrollmentWorker, type WorkflowBundle } from './create-worker';
import { createDependencies, sentMailLog } from './dependencies';
import { limitWorkflowHeap, workflowHeapMb } from './workflow-heap';

export interface RunningWorker {
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  /** Stops polling, lets running tasks finish within the grace time, then closes connections. */
  stop(): Promise<void>;
}

async function workflowBundle(config: Config): Promise<WorkflowBundle> {
  if (config.NODE_ENV === 'development')
    return { code: await bundleWorkflows(repositoryPath('src', 'workflows', 'index.ts')) };
  const bundle = path.resolve(config.CSP_WORKFLOW_BUNDLE);
  if (!fs.existsSync(bundle)) throw new Error(`no workflow bundle at ${bundle}: run npm run build first`);
  return { codePath: bundle };
}

export async function startWorker(config: Config): Promise<RunningWorker> {
  const bundle = await workflowBundle(config);
  const temporal = temporalSettings(config);
  const keyRing = keyRingFrom(config);
  const connection = await connectWorker(temporal);
  // The documents' retention reads when enrollments ended and keeps its schedule through a client
  // on the worker's own connection: a second one (grpc-js) took start-up 50 ms to the native 17.
  const client = serviceClient(connection, temporal.namespace, encryptedDataConverter(keyRing));
  const dependencies = createDependencies(config);
  const maxCachedWorkflows = config.CSP_WORKER_MAX_CACHED_WORKFLOWS;
  limitWorkflowHeap(workflowHeapMb(maxCachedWorkflows, config.CSP_WORKER_WORKFLOW_HEAP_MB));
  const store = documentStoreFrom(config);
  const worker = await createEnrollmentWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: config.CSP_TASK_QUEUE,
    activities: {
      ...createActivities(dependencies),
      ...createRetentionActivities({ store, client, sentLog: sentMailLog(config) }),
    },
    workflowBundle: bundle,
    keyRing,
    overrides: { maxCachedWorkflows },
  });
  const stopping = new AbortController();
  const scheduled = keepRetentionScheduled(
    client,
    { taskQueue: config.CSP_TASK_QUEUE, retention: config.CSP_DOCUMENT_RETENTION },
    (message) => Runtime.instance().logger.warn(message),
    stopping.signal,
  );
  const done = worker.run().finally(async () => {
    stopping.abort();
    await scheduled;
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
