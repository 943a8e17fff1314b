/** Builds the enrollment worker from its parts; used by the worker process and by tests. */
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { EnrollmentActivities } from '../activities';

export interface EnrollmentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: EnrollmentActivities;
  /** Path of the prebuilt workflow bundle (see scripts/bundle-workflows.ts). */
  workflowBundlePath: string;
  /** The encrypting data converter (src/codec); tests of the workflow alone may leave it out. */
  dataConverter?: DataConverter;
  overrides?: Partial<WorkerOptions>;
}

export function createEnrollmentWorker(options: EnrollmentWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundle: { codePath: options.workflowBundlePath },
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    // Withdrawal cancels provisioning follow-up; let the activity see it before shutdown completes.
    shutdownGraceTime: '10 seconds',
    ...options.overrides,
  });
}
