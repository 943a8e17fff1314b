/**
 * Operators' questions: which enrollments are stuck, and running a failed step again (for runs
 * that ended failed before incidents kept them waiting). A retry resets the run to the workflow task that scheduled the failing activity, so the
 * workflow replays up to there and schedules the step anew (Temporal's reset). A repair resets a
 * running enrollment whose workflow task fails at every attempt to its last completed task.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { durationMs } from '../domain/enrollment';
import { memoStatus } from '../client/status';
import { statusQuery } from '../workflows/definitions';
import { enrollmentsPage, stuckReasons } from '../client/lists';
import type { PageRequest } from '../client/visibility';

export interface StuckEnrollment {
  enrollmentId: string;
  company?: string;
  stage?: string;
  reasons: string[];
}

/**
 * Running enrollments past their due date, waiting in an incident, or (with `olderThan`) in their
 * stage longer than that; longest in their stage first, one page at a time, from visibility alone.
 */
export async function findStuck(
  client: Client,
  taskQueue: string,
  page: PageRequest,
  options: { olderThan?: string; now?: Date } = {},
): Promise<{ items: StuckEnrollment[]; nextPageToken?: string }> {
  const now = options.now ?? new Date();
  const stageSinceBefore = options.olderThan
    ? new Date(now.getTime() - durationMs(options.olderThan))
    : undefined;
  const found = await enrollmentsPage(
    client,
    { taskQueue, stuck: { now, stageSinceBefore } },
    'stage-since',
    page,
  );
  return {
    items: found.items.map((run) => ({
      enrollmentId: run.enrollmentId,
      company: run.company,
      stage: run.stage,
      reasons: stuckReasons(run, now, stageSinceBefore),
    })),
    ...(found.nextPageToken ? { nextPageToken: found.nextPageToken } : {}),
  };
}

export class NothingToRetry extends Error {}

/** Resets a failed enrollment to just before its failed step; returns the new run and the step. */
export async function retryFailedStep(
  client: Client,
  enrollmentId: string,
  reason: string,
): Promise<{ runId: string; step: string; resetToEventId: number }> {
  const handle = client.workflow.getHandle(enrollmentId);
  const description = await handle.describe();
  const status = memoStatus(description) ?? (await handle.query(statusQuery).catch(() => undefined));
  const failedRun = description.status.name === 'FAILED';
  if (!failedRun && status?.endState !== 'failed')
    throw new NothingToRetry(
      `${enrollmentId} did not fail (stage ${status?.stage ?? description.status.name})`,
    );
  const events = (await handle.fetchHistory()).events ?? [];
  const failure = [...events]
    .reverse()
    .find((event) => event.activityTaskFailedEventAttributes || event.activityTaskTimedOutEventAttributes);
  const scheduledId = Number(
    (failure?.activityTaskFailedEventAttributes ?? failure?.activityTaskTimedOutEventAttributes)
      ?.scheduledEventId ?? 0,
  );
  const scheduled = events.find((event) => Number(event.eventId) === scheduledId);
  const taskDone = events
    .filter((event) => event.workflowTaskCompletedEventAttributes && Number(event.eventId) < scheduledId)
    .at(-1);
  if (!scheduled || !taskDone) throw new NothingToRetry(`${enrollmentId} has no failed step to retry`);
  const step = scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? 'a step';
  const runId = await resetRun(client, enrollmentId, description.runId, taskDone, reason);
  return { runId, step, resetToEventId: Number(taskDone.eventId) };
}

export class NothingToRepair extends Error {}

/**
 * Resets a running enrollment whose workflow task fails at every attempt to its last completed
 * workflow task: a worker replays what was decided until then and decides the rest afresh, and the
 * server applies again the signals and updates that came after. Steps done before are not done
 * twice: their idempotency keys are the enrollment attempt's, which a reset keeps.
 *
 * Why it exists: a worker that dies holding a workflow task, while an update is on its way and an
 * activity completes, can leave a history that Temporal's SDK core then replays in another order
 * (its update acceptance before the activity's commands: "[TMPRL1100] Nondeterminism error: Update
 * machine does not handle this event"), and every later task of that run fails. Deciding that
 * last task again records it in one order. When the failure names the event its replay stumbled
 * on, the run is reset to the task before the one that recorded that event; else (a task timed out
 * and its retries fail unrecorded) to the last completed task, and a repair after that one finds
 * the recorded failure of the new run.
 */
export async function repairFailingRun(
  client: Client,
  enrollmentId: string,
  reason: string,
): Promise<{ runId: string; resetToEventId: number; failure: string }> {
  const handle = client.workflow.getHandle(enrollmentId);
  const description = await handle.describe();
  if (description.status.name !== 'RUNNING')
    throw new NothingToRepair(`${enrollmentId} is not running (${description.status.name})`);
  const events = (await handle.fetchHistory()).events ?? [];
  const latest = [...events].reverse();
  const lastCompleted = latest.find((event) => event.workflowTaskCompletedEventAttributes);
  const lastFailed = latest.find((event) => event.workflowTaskFailedEventAttributes);
  // Temporal records a task's first failure; the attempts after it only count in the pending task.
  const recorded = lastFailed && lastCompleted && Number(lastFailed.eventId) > Number(lastCompleted.eventId);
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (!lastCompleted || (!recorded && attempt < 2))
    throw new NothingToRepair(`${enrollmentId}: its workflow tasks are not failing`);
  const failure = recorded
    ? (lastFailed.workflowTaskFailedEventAttributes?.failure?.message ?? 'unknown')
    : `workflow task attempt ${attempt} (why is in the workers' logs)`;
  const resetTo = taskBefore(events, failure) ?? lastCompleted;
  const runId = await resetRun(client, enrollmentId, description.runId, resetTo, reason);
  return { runId, resetToEventId: Number(resetTo.eventId), failure };
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** Temporal's reset of a run to a completed workflow task; the new run's ID. */
async function resetRun(
  client: Client,
  enrollmentId: string,
  runId: string,
  taskDone: HistoryEvent,
  reason: string,
): Promise<string> {
  const reset = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: enrollmentId, runId },
    workflowTaskFinishEventId: taskDone.eventId,
    reason,
    requestId: randomUUID(),
  });
  return reset.runId ?? '';
}

/**
 * For a replay that does not match its history ("… does not handle this event: HistoryEvent(id:
 * N, …)"), the completed workflow task before the one that recorded event N: the run is decided
 * again from there. Undefined when the failure names no event.
 */
function taskBefore(events: HistoryEvent[], failure: string): HistoryEvent | undefined {
  const named = /HistoryEvent\(id: (\d+)/.exec(failure)?.[1];
  if (!named) return undefined;
  // The task that recorded event N is the last one completed before it.
  const completed = events.filter((event) => event.workflowTaskCompletedEventAttributes);
  const recordedBy = completed.filter((event) => Number(event.eventId) < Number(named)).at(-1);
  return recordedBy && completed.filter((event) => Number(event.eventId) < Number(recordedBy.eventId)).at(-1);
}
