/**
 * Between two people's steps the enrollment works on its own for a moment (creates the accounts,
 * sends the code, submits the application, runs the credit check, fetches the agreement). A step
 * sent in that moment would be refused for being early; the CLI waits it out instead, saying so,
 * as a person would wait for the page to update. Never while the enrollment waits for someone.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { agreementOffered, codeArrived, type EnrollmentStatus } from '../domain/status';
import { readEnrollmentStatus } from '../client/status';
import type { ActionName } from '../workflows/definitions';

/** Whether the enrollment is still on its way to where `action` can be taken. */
const ON_ITS_WAY: Partial<Record<ActionName, (s: EnrollmentStatus) => string | undefined>> = {
  submitPhoneCode: (s) =>
    s.stage === 'account-setup' ||
    (s.stage === 'phone-verification' && !s.phoneVerification.verified && !codeArrived(s))
      ? 'the phone code to be sent'
      : undefined,
  submitApplication: (s) =>
    s.stage === 'account-setup' || (s.stage === 'phone-verification' && s.phoneVerification.verified)
      ? 'the application stage'
      : undefined,
  claimReview: (s) => reviewOnItsWay(s),
  decideReview: (s) => reviewOnItsWay(s),
  acceptAgreement: (s) =>
    s.stage === 'agreement' && !agreementOffered(s) ? 'the agreement offer' : undefined,
};

function reviewOnItsWay(s: EnrollmentStatus): string | undefined {
  if (s.stage === 'application' && s.application) return 'the review (the application is being submitted)';
  if (s.stage === 'review' && !s.review.credit) return 'the credit check';
  return undefined;
}

/** Waits (at most `timeoutMs`) while the enrollment is on its way to where `action` is taken. */
export async function untilReady(
  handle: WorkflowHandle,
  action: ActionName,
  say: (line: string) => void,
  timeoutMs = 60_000,
): Promise<void> {
  const onItsWay = ON_ITS_WAY[action];
  if (!onItsWay) return;
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const waitingFor = onItsWay(await readEnrollmentStatus(handle));
    if (!waitingFor || Date.now() > deadline) return;
    if (!told) say(`waiting for ${waitingFor}…`);
    told = true;
    await delay(500);
  }
}
