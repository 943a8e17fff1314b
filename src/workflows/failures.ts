/** Reading activity failures in the flow. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The business refusal of the given type behind an activity failure, if that is what it is. */
export function businessFailure(error: unknown, type: string): ApplicationFailure | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === type ? cause : undefined;
}

/** The business refusals activities answer with: results of the program, not failures to repair. */
const BUSINESS_REFUSALS = ['NotAnMpnMember', 'CreditDeclined'];

export function isBusinessRefusal(error: ActivityFailure): boolean {
  return error.cause instanceof ApplicationFailure && BUSINESS_REFUSALS.includes(error.cause.type ?? '');
}

/** "<step> failed: <why>", for an end reason or an audit entry. */
export function stepFailure(error: ActivityFailure): string {
  return `${error.activityType ?? 'a step'} failed: ${error.cause?.message ?? error.message}`;
}
