/**
 * Operators' questions: which enrollments are stuck, which failed, and running a failed step
 * again. A retry resets the run to the workflow task that scheduled the failing activity, so the
 * workflow replays up to there and schedules the step anew (Temporal's reset).
 */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { durationMs } from '../domain/enrollment';
import { statusQuery } from '../workflows/definitions';
import { findEnrollments, type EnrollmentSummary } from '../client/visibility';

export interface StuckEnrollment {
  enrollmentId: string;
  company?: string;
  stage?: string;
  reasons: string[];
}

/** Running enrollments past their due date, in their stage longer than `olderThan`, or with a step retrying. */
export async function findStuck(
  client: Client,
  taskQueue: string,
  options: { olderThan?: string; now?: number } = {},
): Promise<StuckEnrollment[]> {
  const now = options.now ?? Date.now();
  const limit = options.olderThan ? durationMs(options.olderThan) : undefined;
  const running = await findEnrollments(client, { taskQueue, executionStatus: 'Running' });
  const stuck: StuckEnrollment[] = [];
  for (const run of running) {
    const reasons: string[] = [];
    if (run.dueAt && Date.parse(run.dueAt) < now) reasons.push(`past due since ${run.dueAt}`);
    const handle = client.workflow.getHandle(run.enrollmentId);
    if (limit !== undefined) {
      const status = await handle.query(statusQuery).catch(() => undefined);
      const entered =
        status?.audit.filter((entry) => entry.action.startsWith('stage ')).at(-1)?.at ?? run.startedAt;
      if (now - Date.parse(entered) >= limit)
        reasons.push(`in stage ${status?.stage ?? run.stage} since ${entered}`);
    }
    const { raw } = await handle.describe();
    for (const activity of raw.pendingActivities ?? []) {
      if ((activity.attempt ?? 1) > 1)
        reasons.push(
          `step ${activity.activityType?.name} retrying (attempt ${activity.attempt}: ${activity.lastFailure?.message ?? 'no message'})`,
        );
    }
    if (reasons.length)
      stuck.push({ enrollmentId: run.enrollmentId, company: run.company, stage: run.stage, reasons });
  }
  return stuck;
}

/** Enrollments whose latest run ended 'failed', or whose run failed outright (a bug). */
export async function findFailed(client: Client, taskQueue: string): Promise<EnrollmentSummary[]> {
  const [ended, broken] = await Promise.all([
    findEnrollments(client, { taskQueue, endState: 'failed' }),
    findEnrollments(client, { taskQueue, executionStatus: 'Failed' }),
  ]);
  const failed: EnrollmentSummary[] = [];
  for (const run of [...ended, ...broken]) {
    if (failed.some((known) => known.enrollmentId === run.enrollmentId)) continue;
    // A retried enrollment has a newer run: the old failed one is history.
    const latest = await client.workflow.getHandle(run.enrollmentId).describe();
    if (latest.runId === run.runId) failed.push(run);
  }
  return failed;
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
  const status = await handle.query(statusQuery).catch(() => undefined);
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
  const { runId } = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: enrollmentId, runId: description.runId },
    workflowTaskFinishEventId: taskDone.eventId,
    reason,
    requestId: randomUUID(),
  });
  return { runId: runId ?? '', step, resetToEventId: Number(taskDone.eventId) };
}
