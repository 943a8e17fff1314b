/**
 * The API's way to an enrollment: read its status (404 when unknown), check the caller may touch
 * it, and run an action as an update so a refusal comes back at once (409 with the reason). Both
 * have a deadline: an enrollment whose worker is down does not hold a request (or its caller) open.
 */
import {
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import type { Actor } from '../domain/actions';
import type { EnrollmentStatus } from '../domain/status';
import { readEnrollmentStatus } from '../client/status';
import { actions, statusQuery, type ActionInputs, type ActionName } from '../workflows/definitions';
import { assertMayAccess, assertMayRead } from './access';
import { ApiError, toApiError } from './errors';
import type { Caller } from './tokens';

/** How long the API waits for an enrollment: its status, then an action's answer. */
export interface Deadlines {
  /** Past it, a status read is a 503 with Retry-After (the worker is down or restarting). */
  readMs?: number;
  /** Past it, an action is a 202 with the status location: it may still take effect. */
  updateMs?: number;
}
export const DEFAULT_READ_DEADLINE_MS = 5_000;
export const DEFAULT_UPDATE_DEADLINE_MS = 10_000;

/**
 * The status for a read: from the run's memo, running no workflow code, so an enrollment the
 * worker does not cache is not replayed and no worker need be up (src/client/status.ts).
 */
export async function readStatus(
  client: Client,
  enrollmentId: string,
  deadlineMs = DEFAULT_READ_DEADLINE_MS,
): Promise<EnrollmentStatus> {
  return withDeadline(client, deadlineMs, () =>
    readEnrollmentStatus(client.workflow.getHandle(enrollmentId)),
  );
}

/**
 * The status by query, before an action: the action needs a worker anyway (and replays an evicted
 * enrollment), and with none polling the caller gets a 503 before anything is sent.
 */
function queryStatus(client: Client, enrollmentId: string, deadlineMs = DEFAULT_READ_DEADLINE_MS) {
  return withDeadline(client, deadlineMs, () => client.workflow.getHandle(enrollmentId).query(statusQuery));
}

async function withDeadline<T>(client: Client, deadlineMs: number, read: () => Promise<T>): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + deadlineMs, read);
  } catch (error) {
    throw toApiError(error);
  }
}

/** The status, after checking the caller may see it. */
export async function accessibleStatus(
  client: Client,
  caller: Caller,
  enrollmentId: string,
  deadlineMs?: number,
) {
  const status = await readStatus(client, enrollmentId, deadlineMs);
  assertMayRead(caller, status);
  return status;
}

/** Who may take an action on an enrollment, given its status; throws an ApiError (403) if not. */
export type ActionAccess = (caller: Caller, status: EnrollmentStatus) => void;

export type ActionAnswer =
  | { enrollmentId: string; stage: EnrollmentStatus['stage']; message: string }
  /** Not answered within the API's deadline: it may still take effect; the status says. */
  | {
      enrollmentId: string;
      stage: EnrollmentStatus['stage'];
      message: string;
      pending: true;
      location: string;
    };

/**
 * Runs an action for the caller; the actor is the token's subject, whatever the body said: `input`
 * makes the update's input around it. An enrollment that has not answered within the update
 * deadline (a worker busy or restarting) is answered "pending": the update goes on, and the caller
 * reads the status to learn its effect.
 */
export async function runAction<N extends ActionName>(
  client: Client,
  caller: Caller,
  enrollmentId: string,
  name: N,
  input: (actor: Actor) => ActionInputs[N],
  deadlines: Deadlines = {},
  access: ActionAccess = assertMayAccess,
): Promise<ActionAnswer> {
  const updateMs = deadlines.updateMs ?? DEFAULT_UPDATE_DEADLINE_MS;
  const status = await queryStatus(client, enrollmentId, deadlines.readMs);
  access(caller, status);
  // Updates cannot reach a closed run; say why instead of "not found". An ended enrollment with
  // undelivered emails stays open a while for an operator to re-send them (src/workflows/ending.ts).
  const ended = new ApiError(409, 'refused', 'the enrollment has ended');
  const resendAfterEnd = name === 'resendNotification' && !!status.undelivered?.length;
  if (status.stage === 'ended' && !resendAfterEnd) throw ended;
  const actor: Actor = { id: caller.id, role: caller.role };
  const update = client.workflow
    .getHandle(enrollmentId)
    .executeUpdate(actions[name].update, { args: [input(actor)] });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), updateMs)));
  const pending = (): ActionAnswer => ({
    enrollmentId,
    stage: status.stage,
    message: `the enrollment has not answered within ${updateMs} ms; the action may still take effect: read the status`,
    pending: true,
    location: `/enrollments/${enrollmentId}`,
  });
  try {
    const result = await Promise.race([update, late]);
    if (result) return { enrollmentId, stage: result.stage, message: result.message };
    // Answered later or never: nobody waits for it any more, its failure must not go unhandled.
    update.catch(() => undefined);
    return pending();
  } catch (error) {
    // The update was sent but its answer did not come back: it may still take effect.
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return pending();
    // Its window for re-sends had passed: the run closed.
    if (error instanceof WorkflowNotFoundError && status.stage === 'ended') throw ended;
    throw toApiError(error);
  } finally {
    clearTimeout(timer);
  }
}
