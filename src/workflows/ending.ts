/**
 * How an enrollment ends: the end state and its reason recorded (status, search attributes,
 * metrics), and the applicant told what happened and what they can do — whatever the end.
 */
import {
  allHandlersFinished,
  condition,
  setCurrentDetails,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { durationMs } from '../domain/enrollment';
import { failureReason, type FailureCause } from '../domain/failure-causes';
import type { NotificationParams, NotificationTemplate } from '../domain/notifications';
import type { EndState, EnrollmentOutcome } from '../domain/status';
import { epochSeconds, iso, type Enrollment } from './context';
import { searchAttributes } from './definitions';
import { follows } from './edition';
import { metrics } from './metrics';

/** Thrown inside the flow to end the enrollment in a business end state. */
export class Ended extends Error {
  constructor(
    readonly endState: EndState,
    readonly reason: string,
    /** More for the applicant's email (e.g. that they are not a partner network member). */
    readonly params: Partial<NotificationParams> = {},
    /** What the applicant is told, when `reason` holds what only staff may read. */
    readonly applicantReason?: string,
  ) {
    super(reason);
  }
}

/**
 * A failed end, told in plain words: the cause (which part of the guide), and the note of the
 * operator who ended it. The technical detail stays with staff (incident, audit).
 */
export function failed(cause: FailureCause, note?: string): Ended {
  return new Ended('failed', failureReason(cause, note), { failure: cause, ...(note ? { note } : {}) });
}

const TEMPLATES: Record<EndState, NotificationTemplate> = {
  completed: 'completed',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  expired: 'expired',
  failed: 'failed',
};

export async function finish(
  e: Enrollment,
  endState: EndState,
  reason?: string,
  params: Partial<NotificationParams> = {},
  applicantReason?: string,
): Promise<EnrollmentOutcome> {
  const { status } = e;
  status.stage = 'ended';
  status.endState = endState;
  status.endReason = reason;
  if (applicantReason) status.applicantEndReason = applicantReason;
  // The trail and the email say what the applicant may read; staff keep `endReason`.
  const told = applicantReason ?? reason;
  status.dueAt = undefined;
  // An incident left open (a withdrawal while it waited) ends with the enrollment.
  if (status.incident) {
    (status.incidents ??= []).push({
      ...status.incident,
      closedAt: new Date().toISOString(),
      note: `enrollment ${endState}`,
    });
    status.incident = undefined;
  }
  // Rejected by reviewers (or the credit check): a decision, for the "recently decided" list.
  const decided = endState === 'rejected' && !!status.review.startedAt;
  upsertSearchAttributes([
    { key: searchAttributes.stage, value: 'ended' },
    { key: searchAttributes.endState, value: endState },
    { key: searchAttributes.dueAt, value: null },
    { key: searchAttributes.stageSince, value: new Date() },
    ...(decided ? [{ key: searchAttributes.decidedAt, value: epochSeconds() }] : []),
    ...(status.incidents?.length ? [{ key: searchAttributes.incident, value: null }] : []),
  ]);
  setCurrentDetails(`**Ended:** ${endState}${reason ? `  \n${reason}` : ''}`);
  e.audit('system', `enrollment ${endState}`, told);
  e.trail.writeAtOnce();
  metrics.ended(endState);
  e.mail.send(TEMPLATES[endState], TEMPLATES[endState], 'applicant', {
    ...(told ? { reason: told } : {}),
    ...params,
  });
  // Emails on their way are delivered (or given up on) before the run closes.
  await e.mail.settled();
  await condition(allHandlersFinished);
  if (status.undelivered?.length && follows(RESEND_AFTER_END)) await awaitResends(e);
  // The trail's last entries reach the durable log before the run closes, once nothing more can
  // come (no email on its way, no handler running).
  await condition(() => e.mail.idle() && allHandlersFinished() && e.trail.settled());
  return { endState, ...(reason ? { reason } : {}) };
}

/**
 * An email that ran out of retries can only be sent again by the run that holds it: so an ended
 * enrollment with undelivered emails (the closing one, typically) stays open, ended, for the
 * policy's window, and closes once they were all delivered or the window passed. Runs that ended
 * before this rule closed at once, and replay that way.
 */
const RESEND_AFTER_END = 'resend-window-after-end';

async function awaitResends(e: Enrollment): Promise<void> {
  const { status } = e;
  const until = Date.now() + durationMs(e.policy.notifications.resendWindowAfterEnd);
  const keys = () => (status.undelivered ?? []).map((entry) => entry.key).join(', ');
  e.audit('system', 'undelivered emails wait for an operator', `${keys()}; until ${iso(until)}`, 'refused');
  const delivered = await condition(
    () => !status.undelivered?.length && e.mail.idle() && allHandlersFinished(),
    Math.max(until - Date.now(), 1),
  );
  if (!delivered) e.audit('system', 'closed with undelivered emails', keys(), 'refused');
  await e.mail.settled();
  await condition(allHandlersFinished);
}
