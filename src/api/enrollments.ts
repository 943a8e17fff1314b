/**
 * The API's way to an enrollment: read its status (404 when unknown), check the caller may touch
 * it, and run an action as an update so a refusal comes back at once (409 with the reason).
 */
import type { Client } from '@temporalio/client';
import type { Actor } from '../domain/actions';
import type { EnrollmentStatus } from '../domain/status';
import { actions, statusQuery, type ActionName } from '../workflows/definitions';
import { assertMayAccess } from './access';
import { ApiError, toApiError } from './errors';
import type { Caller } from './tokens';

export async function readStatus(client: Client, enrollmentId: string): Promise<EnrollmentStatus> {
  try {
    return await client.workflow.getHandle(enrollmentId).query(statusQuery);
  } catch (error) {
    throw toApiError(error);
  }
}

/** The status, after checking the caller may see it. */
export async function accessibleStatus(client: Client, caller: Caller, enrollmentId: string) {
  const status = await readStatus(client, enrollmentId);
  assertMayAccess(caller, status);
  return status;
}

/** Runs an action for the caller; the actor is the token's subject, whatever the body said. */
export async function runAction(
  client: Client,
  caller: Caller,
  enrollmentId: string,
  name: ActionName,
  input: Record<string, unknown>,
): Promise<{ enrollmentId: string; stage: EnrollmentStatus['stage']; message: string }> {
  const status = await accessibleStatus(client, caller, enrollmentId);
  // Updates cannot reach a closed run; say why instead of "not found".
  if (status.stage === 'ended') throw new ApiError(409, 'refused', 'the enrollment has ended');
  const actor: Actor = { id: caller.id, role: caller.role };
  try {
    const result = await client.workflow
      .getHandle(enrollmentId)
      .executeUpdate(actions[name].update as never, { args: [{ ...input, actor }] as never });
    const { stage, message } = result as { stage: EnrollmentStatus['stage']; message: string };
    return { enrollmentId, stage, message };
  } catch (error) {
    throw toApiError(error);
  }
}
