/** Plays the applicant and the reviewers against a running enrollment, through its updates. */
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import type { Actor } from '../../src/domain/actions';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import { agreementOffered, emailsSettled, type EnrollmentStatus, type Stage } from '../../src/domain/status';
import { startEnrollment } from '../../src/client/enrollments';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { AGREEMENT_OFFER, GOOD_CODE } from './fakes';
import { applicant, cspApplication, enrollmentRequest } from '../fixtures';

export type EnrollmentHandle = WorkflowHandle;

/** The refusal message of an update the workflow refused, or 'accepted'. */
export const refusal = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => 'accepted',
    (error: unknown) => {
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      return (error as WorkflowUpdateFailedError).cause?.message;
    },
  );

export function start(client: Client, taskQueue: string, request: EnrollmentRequestInput) {
  return startEnrollment(client, { taskQueue, request });
}

/** Polls the status query until `predicate` holds (the workflow moves on activity completions). */
export async function waitForStatus(
  handle: WorkflowHandle,
  predicate: (status: EnrollmentStatus) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<EnrollmentStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await queryWithin(handle, 10_000);
    if (status && predicate(status)) return status;
    if (Date.now() > deadline) {
      const last = status ? `stage ${status.stage}, last audit: ${JSON.stringify(status.audit.at(-1))}` : '';
      throw new Error(`timed out waiting for ${what}; ${last || 'the status query was not answered'}`);
    }
    await delay(50);
  }
}

/**
 * One status query, given up after `ms` (undefined then): the time-skipping server now and then
 * never answers a query sent as a run continues as new; the next poll reaches the new run.
 */
async function queryWithin(handle: WorkflowHandle, ms: number): Promise<EnrollmentStatus | undefined> {
  try {
    return await handle.client.withDeadline(Date.now() + ms, () => handle.query(statusQuery));
  } catch (error) {
    const code = (error as { cause?: { code?: number } }).cause?.code ?? (error as { code?: number }).code;
    if (code === GRPC_DEADLINE_EXCEEDED) return undefined;
    throw error;
  }
}
const GRPC_DEADLINE_EXCEEDED = 4;

export const waitForStage = (handle: WorkflowHandle, stage: Stage) =>
  waitForStatus(handle, (status) => status.stage === stage, `stage ${stage}`);

/** The `agreement` stage comes with the approval; the offer (version, digest) a moment later. */
export const waitForOffer = (handle: WorkflowHandle) =>
  waitForStatus(handle, agreementOffered, 'the agreement offer');

/** In review with the credit result, and the emails of getting there sent. */
export const waitForReview = (handle: WorkflowHandle) =>
  waitForStatus(
    handle,
    (status) => status.stage === 'review' && !!status.review.credit && emailsSettled(status),
    'review with credit result',
  );

/** Waits until a code has reached the phone (the stage shows while it is on its way). */
export const waitForCode = (handle: WorkflowHandle) =>
  waitForStatus(
    handle,
    (status) =>
      status.stage === 'phone-verification' &&
      !status.phoneVerification.sending &&
      status.phoneVerification.attemptsLeft > 0,
    'a phone code to arrive',
  );

export async function verifyPhone(handle: WorkflowHandle, code = GOOD_CODE) {
  await waitForCode(handle);
  return handle.executeUpdate(actions.submitPhoneCode.update, { args: [{ actor: applicant, code }] });
}

export async function submitApplication(handle: WorkflowHandle, application = cspApplication()) {
  await waitForStage(handle, 'application');
  return handle.executeUpdate(actions.submitApplication.update, {
    args: [{ actor: applicant, application }],
  });
}

export async function claim(handle: WorkflowHandle, actor: Actor) {
  return handle.executeUpdate(actions.claimReview.update, { args: [{ actor }] });
}

/** Claims the review (reviewers must hold it to decide) and approves. */
export async function approve(handle: WorkflowHandle, actor: Actor) {
  const { review } = await handle.query(statusQuery);
  if (actor.role === 'reviewer' && review.assignee?.holder !== `${actor.role}:${actor.id}`)
    await claim(handle, actor);
  return handle.executeUpdate(actions.decideReview.update, { args: [{ actor, decision: 'approve' }] });
}

/** The global admin signs the fake Partner Center's agreement. */
export async function acceptAgreement(handle: WorkflowHandle) {
  const { globalAdmin } = await waitForOffer(handle);
  return handle.executeUpdate(actions.acceptAgreement.update, {
    args: [
      {
        actor: applicant,
        agreementVersion: AGREEMENT_OFFER.version,
        textDigest: AGREEMENT_OFFER.textDigest,
        signerEmail: globalAdmin!.email,
      },
    ],
  });
}

/** The global admin signs the agreement the enrollment offers, as Partner Center presented it. */
export async function acceptOffer(handle: WorkflowHandle) {
  const { agreement, globalAdmin } = await waitForOffer(handle);
  return handle.executeUpdate(actions.acceptAgreement.update, {
    args: [
      {
        actor: applicant,
        agreementVersion: agreement.version!,
        textDigest: agreement.textDigest!,
        signerEmail: globalAdmin!.email,
      },
    ],
  });
}

/** Takes an enrollment from its start to the review stage. */
export async function throughToReview(handle: WorkflowHandle): Promise<EnrollmentStatus> {
  await verifyPhone(handle);
  await submitApplication(handle);
  return waitForReview(handle);
}

/** Starts an enrollment whose policy skips phone verification, and takes it to review. */
export async function startInReview(client: Client, taskQueue: string): Promise<WorkflowHandle> {
  const handle = await start(
    client,
    taskQueue,
    enrollmentRequest({ policy: { phoneVerification: { required: false } } }),
  );
  await submitApplication(handle);
  await waitForReview(handle);
  return handle;
}
