/**
 * The Temporal Schedule that runs the documents' retention daily. Every worker makes sure it
 * exists at start (the first one creates it, the others find it) with the configured retention.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { PayloadKeyUnavailable } from '../codec/encryption-codec';
import { DOCUMENT_RETENTION_WORKFLOW } from '../workflows/document-retention';

export const RETENTION_SCHEDULE_ID = 'csp-document-retention';

export async function ensureRetentionSchedule(
  client: Client,
  options: { taskQueue: string; retention: string; every?: string },
): Promise<void> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: DOCUMENT_RETENTION_WORKFLOW,
    taskQueue: options.taskQueue,
    args: [{ retention: options.retention }],
    workflowId: `${RETENTION_SCHEDULE_ID}-run`,
  };
  const spec = { intervals: [{ every: (options.every ?? '1 day') as '1 day' }] };
  const create = () =>
    client.schedule.create({
      scheduleId: RETENTION_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: 'deletes documents a configured time after their enrollment ended' },
    });
  try {
    await create();
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    // Created by another worker or an earlier start: bring it to this configuration.
    const handle = client.schedule.getHandle(RETENTION_SCHEDULE_ID);
    try {
      await handle.update((schedule) => ({ ...schedule, spec, action }));
    } catch (unreadable) {
      // Its arguments are sealed with a key this process does not hold (retired since, or another
      // deployment's): nothing in it is worth keeping, since this configuration replaces it whole.
      if (!(unreadable instanceof PayloadKeyUnavailable)) throw unreadable;
      await handle.delete();
      await create().catch((raced) => {
        if (!(raced instanceof ScheduleAlreadyRunning)) throw raced;
      });
    }
  }
}

/**
 * `ensureRetentionSchedule` beside the worker's start: a server that just started may not answer
 * for its schedules for a while (its own system workers come up first), and the worker must not
 * wait for that, nor die of it. Tries for `withinMs` or until `stop` aborts, then reports and
 * leaves it to the next start.
 */
export async function keepRetentionScheduled(
  client: Client,
  options: Parameters<typeof ensureRetentionSchedule>[1],
  report: (message: string) => void,
  stop: AbortSignal,
  withinMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let wait = 1000; !stop.aborted; wait = Math.min(wait * 2, 15_000)) {
    try {
      return await ensureRetentionSchedule(client, options);
    } catch (error) {
      if (stop.aborted) return;
      if (Date.now() + wait > deadline) {
        report(`the documents' retention schedule could not be set up: ${(error as Error).message}`);
        return;
      }
      await delay(wait, undefined, { signal: stop }).catch(() => undefined);
    }
  }
}
