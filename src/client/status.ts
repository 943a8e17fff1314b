/**
 * An enrollment's status for readers (the API and its console, the CLI): from the run's memo,
 * which `describe()` returns without running workflow code (src/workflows/status-memo.ts), so a
 * read of an enrollment the worker no longer caches — one waiting for a person, for a review of
 * weeks, for provisioning — costs no replay, and answers while no worker runs.
 *
 * The memo is current while the run waits. It may be behind while a workflow task is pending or
 * the flow is between two steps (an activity other than those in MEMO_CURRENT_WHILE in flight):
 * then the workflow is asked, which it answers from its cache as it is working. So are runs
 * without the memo (started before it), and a closed run whose memo does not show its end
 * (terminated, failed). Should that query fail (no worker), the memo is still the best answer.
 */
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { EnrollmentStatus } from '../domain/status';
import { MEMO_CURRENT_WHILE, STATUS_MEMO, statusQuery } from '../workflows/definitions';

/** The status the memo holds, whether or not it may be behind. */
function memoOf(description: WorkflowExecutionDescription): EnrollmentStatus | undefined {
  return (description.memo?.[STATUS_MEMO] as EnrollmentStatus | null | undefined) ?? undefined;
}

/** The status the memo holds, if it may be read as the run's current one. */
export function memoStatus(description: WorkflowExecutionDescription): EnrollmentStatus | undefined {
  const status = memoOf(description);
  if (!status) return undefined;
  if (status.stage === 'ended') return status;
  if (description.status.name !== 'RUNNING') return undefined;
  const { pendingWorkflowTask, pendingActivities } = description.raw;
  const betweenSteps = (pendingActivities ?? []).some(
    (activity) => !MEMO_CURRENT_WHILE.includes(activity.activityType?.name ?? ''),
  );
  return pendingWorkflowTask || betweenSteps ? undefined : status;
}

export async function readEnrollmentStatus(handle: WorkflowHandle): Promise<EnrollmentStatus> {
  const description = await handle.describe();
  const current = memoStatus(description);
  if (current) return current;
  const memo = memoOf(description);
  try {
    return await handle.query(statusQuery);
  } catch (error) {
    if (memo) return memo;
    throw error;
  }
}
