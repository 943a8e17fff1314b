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
 * (terminated, failed). Should the workflow not answer soon (no worker), the memo is the best answer.
 */
import type { Connection, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
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

/**
 * How long a read waits for the workflow's answer when the memo could answer instead: a working
 * enrollment answers in milliseconds; one whose worker went away, or whose server just restarted,
 * may not for minutes, and its memo is behind by one step at most.
 */
const QUERY_PATIENCE_MS = 2_000;

export async function readEnrollmentStatus(handle: WorkflowHandle): Promise<EnrollmentStatus> {
  const description = await handle.describe();
  const current = memoStatus(description);
  if (current) return current;
  const memo = memoOf(description);
  if (!memo) return handle.query(statusQuery);
  try {
    return await withinPatience(handle, () => handle.query(statusQuery));
  } catch {
    return memo;
  }
}

/** `ask` with a deadline QUERY_PATIENCE_MS away, or the caller's if that is sooner. */
function withinPatience<T>(handle: WorkflowHandle, ask: () => Promise<T>): Promise<T> {
  const { client } = handle;
  // The caller's deadline (an API request's), where the connection keeps it.
  const { callContextStorage } = client.connection as Partial<Pick<Connection, 'callContextStorage'>>;
  const outer = callContextStorage?.getStore()?.deadline;
  const outerMs = outer === undefined ? Infinity : new Date(outer).getTime();
  return client.withDeadline(Math.min(outerMs, Date.now() + QUERY_PATIENCE_MS), ask);
}
