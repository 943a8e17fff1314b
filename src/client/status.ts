/**
 * An enrollment's status for readers (the API and its console, the CLI): from the run's memo,
 * which `describe()` returns without running workflow code (src/workflows/status-memo.ts), so a
 * read of an enrollment the worker no longer caches costs no replay, and answers while no worker
 * runs. Runs without the memo (started before it), and a closed run whose memo does not show its
 * end (terminated, failed), are asked by query as before.
 */
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { EnrollmentStatus } from '../domain/status';
import { STATUS_MEMO, statusQuery } from '../workflows/definitions';

/** The status the memo holds, if it may be read as the run's current one. */
export function memoStatus(description: WorkflowExecutionDescription): EnrollmentStatus | undefined {
  const status = description.memo?.[STATUS_MEMO] as EnrollmentStatus | undefined;
  if (!status) return undefined;
  return description.status.name === 'RUNNING' || status.stage === 'ended' ? status : undefined;
}

export async function readEnrollmentStatus(handle: WorkflowHandle): Promise<EnrollmentStatus> {
  return memoStatus(await handle.describe()) ?? handle.query(statusQuery);
}
