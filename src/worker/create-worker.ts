/** Builds the enrollment worker from its parts; used by the worker process and by tests. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { EnrollmentActivities } from '../activities';
import type { RetentionActivities } from '../activities/document-retention';
import { workerDataConverter } from '../codec/data-converter';
import type { KeyRing } from '../codec/key-ring';
import { workerIdentity } from '../codec/worker-keys';
import { activityRequestIds } from './activity-request-ids';

export interface EnrollmentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The enrollment's activities, and the documents' retention where the worker runs it. */
  activities: EnrollmentActivities & Partial<RetentionActivities>;
  /** Path of the prebuilt workflow bundle (see scripts/bundle-workflows.ts). */
  workflowBundlePath?: string;
  /** Or the bundle itself (development: bundled from source at start). */
  workflowBundle?: WorkflowBundle;
  /**
   * The payload keys: the worker seals with the current one, refuses unsealed input and names the
   * keys' fingerprints in its identity. Tests of the workflow alone may leave it out.
   */
  keyRing?: KeyRing;
  overrides?: Partial<WorkerOptions>;
}

/** How long running activities get to finish when the worker stops (then they are cancelled). */
export const SHUTDOWN_GRACE_SECONDS = 10;

export type WorkflowBundle = { codePath: string } | { code: string };

export function createEnrollmentWorker(options: EnrollmentWorkerOptions): Promise<Worker> {
  const { keyRing } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundle: options.workflowBundle ?? { codePath: options.workflowBundlePath! },
    interceptors: { activity: [activityRequestIds] },
    ...(keyRing ? { dataConverter: workerDataConverter(keyRing), identity: workerIdentity(keyRing) } : {}),
    // Withdrawal cancels provisioning follow-up; let the activity see it before shutdown completes.
    shutdownGraceTime: `${SHUTDOWN_GRACE_SECONDS} seconds`,
    ...options.overrides,
  });
}
