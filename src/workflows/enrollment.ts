/**
 * One reseller's enrollment into the 21Vianet China CSP program, as the enrollment guide describes
 * it, from the work account to a configured Partner Center account. Lives for weeks; people drive
 * it through the actions in ./definitions; every side effect is an activity (./activities).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { isUnsealed, UNSEALED_FIELD } from '../codec/unsealed';
import { describeIssues } from '../domain/actions';
import {
  EnrollmentRequest,
  durationMs,
  storedRequest,
  type EnrollmentRequestInput,
} from '../domain/enrollment';
import { failureCauseOf } from '../domain/failure-causes';
import type { GettingStartedTask } from '../domain/getting-started';
import type { EnrollmentOutcome, EnrollmentStatus } from '../domain/status';
import { Enrollment, iso, type Resume } from './context';
import { statusQuery } from './definitions';
import { follows, ofThisEdition, openEdition } from './edition';
import { Ended, failed, finish } from './ending';
import { stepFailure } from './failures';
import { enrollmentV1 } from './legacy/enrollment-v1';
import { metrics } from './metrics';
import { registerOperations } from './operations';
import { registerDocumentActions } from './documents';
import {
  acceptanceToRecord,
  recordAcceptance,
  registerAgreementActions,
  signAgreement,
} from './stages/agreement';
import { collectApplication, registerApplicationActions } from './stages/application';
import { getStarted } from './stages/getting-started';
import { createPartnerAccount } from './stages/partner-account';
import { registerPhoneActions, verifyPhoneIfAsked } from './stages/phone';
import { provision } from './stages/provisioning';
import { registerReviewActions, review } from './stages/review';
import { registerWorkAccountActions, setUpWorkAccount } from './stages/work-account';
import { ContinueAsNewNeeded } from './waiting';
import { registerWithdrawal } from './withdrawal';
import { publishStatus } from './status-memo';
import { stepInFlight } from './steps-in-flight';

export type { Resume } from './context';

/**
 * Runs started since this patch follow the guide's paths; runs started before finish in ./legacy,
 * and continue as new into this flow (a review there moves at its next reminder or its expiry).
 */
const GUIDE_FLOW = 'guide-flow';
/** Runs started since this patch write every audit entry to the durable log (./audit-trail). */
const DURABLE_AUDIT_LOG = 'durable-audit-log';
/** Runs since this patch keep their status in their memo, for reads that run no workflow code. */
const STATUS_MEMO = 'status-memo';
/** Runs since this patch end withdrawn when a withdrawal came while they were handing over. */
const WITHDRAWAL_DURING_HAND_OVER = 'withdrawal-during-hand-over';
/** Runs since this patch leave their memo as it is while the flow is between two steps. */
const MEMO_BETWEEN_STEPS = 'memo-between-steps';

/** The guide's steps, in its order. Each runs unless the state carried over says it is done. */
async function run(e: Enrollment): Promise<GettingStartedTask[]> {
  const { status } = e;
  // Step 2: sign in with the organization's work account, or create one.
  if (!status.account.tenantId && !status.account.partnerAccountId) await setUpWorkAccount(e);
  if (!status.account.partnerAccountId) {
    // Step 4: Partner Center may ask to verify the account by phone, with the organization's number.
    await verifyPhoneIfAsked(e);
    // Steps 3-4: "Create account": the Partner Center account, the global admin its first user.
    await createPartnerAccount(e);
  }
  // Enrollments of the earlier order verified the phone after creating their accounts.
  await verifyPhoneIfAsked(e);
  // Step 5: the CSP application (MPN ID, legal business profile, approval contacts, support).
  if (!status.review.startedAt) await collectApplication(e);
  // Step 5: the review, with a credit check; it may take several weeks.
  if (e.pending.reviewOutcome?.decision !== 'approved') await review(e);
  // Step 6: the global admin signs the 21Vianet CSP reseller agreement.
  if (!status.agreement.acceptance) await signAgreement(e);
  else if (acceptanceToRecord(e)) await recordAcceptance(e);
  // Step 6, note: configuring the account takes hours.
  if (!status.provisioning.readyAt) await provision(e);
  // Get started with Partner Center: the account-settings tasks.
  return getStarted(e);
}

export async function enrollment(input: EnrollmentRequestInput, resume?: Resume): Promise<EnrollmentOutcome> {
  if (isUnsealed(input)) throw ApplicationFailure.nonRetryable(input[UNSEALED_FIELD], 'InvalidInput');
  // Runs started by earlier code replay there; a run that continues as new from one moves here.
  openEdition();
  if (!follows(GUIDE_FLOW)) return enrollmentV1(input, resume);

  const parsed = EnrollmentRequest.safeParse(storedRequest(input));
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid enrollment request: ${describeIssues(parsed.error)}`,
      'InvalidInput',
    );
  }
  const request = parsed.data;
  const e = new Enrollment(
    request,
    resume?.status ?? firstStatus(request),
    resume?.pending ?? {},
    resume?.clock ?? {
      applicationDeadline: Date.now() + durationMs(request.policy.application.due),
      reminders: {},
    },
    follows(DURABLE_AUDIT_LOG),
  );
  if (resume) {
    fromEarlierFlow(e);
    relinkPendingQuestion(e);
  }
  registerWorkAccountActions(e);
  registerPhoneActions(e);
  registerApplicationActions(e);
  registerReviewActions(e);
  registerAgreementActions(e);
  registerWithdrawal(e);
  registerOperations(e);
  registerDocumentActions(e);
  setHandler(statusQuery, () => e.status);
  // The last workflow task's change would come after the run's completion, too late for the memo:
  // published before it. Runs without the patch close exactly as they did.
  let closing = (outcome: Promise<EnrollmentOutcome>) => outcome;
  if (follows(STATUS_MEMO)) {
    const publish = publishStatus(e.status, follows(MEMO_BETWEEN_STEPS) ? stepInFlight : undefined);
    closing = async (outcome) => {
      const result = await outcome;
      publish();
      return result;
    };
  }
  /** A withdrawal taken but not acted on by the flow (it had not started, or had ended). */
  const endWithdrawn = ({ reason }: { reason: string }) =>
    closing(CancellationScope.nonCancellable(() => finish(e, 'withdrawn', reason)));
  if (!resume) metrics.started();
  e.trail.start();
  e.mail.resumeOutbox();
  // A withdrawal the last run took as it handed over, with code before that patch: acted on now.
  if (resume?.pending?.withdrawal && ofThisEdition()) return endWithdrawn(resume.pending.withdrawal);

  let tasksLeft: GettingStartedTask[];
  try {
    tasksLeft = await e.flow.run(() => run(e));
  } catch (error) {
    if (error instanceof ContinueAsNewNeeded) {
      // Emails on their way get a moment to finish; the rest are sent again by the next run. So do
      // audit entries: those not yet written travel in the status, and the next run writes them.
      await e.mail.settled(60_000);
      await condition(allHandlersFinished);
      await e.trail.flush(60_000);
      // A withdrawal that came while the run was handing over ends it here: the next run would
      // not act on it. Runs before this patch continued as new without it.
      if (e.pending.withdrawal && follows(WITHDRAWAL_DURING_HAND_OVER))
        return endWithdrawn(e.pending.withdrawal);
      e.trail.stop();
      e.audit('system', 'continued as new', `after ${workflowInfo().historyLength} history events`);
      return continueAsNew<typeof enrollment>(request, {
        status: e.status,
        pending: e.pending,
        clock: e.clock,
      });
    }
    // Withdrawal cancels the flow; what was in flight stops, the end is recorded outside it.
    return closing(
      CancellationScope.nonCancellable(() => {
        if (error instanceof Ended)
          return finish(e, error.endState, error.reason, error.params, error.applicantReason);
        if (isCancellation(error)) {
          return finish(e, 'withdrawn', e.pending.withdrawal?.reason ?? 'withdrawn at an operator’s request');
        }
        if (error instanceof ActivityFailure) {
          metrics.failure(error.activityType ?? 'unknown');
          // Staff keep what failed and how; the applicant is told which part, in plain words.
          e.audit('system', 'step failed', stepFailure(error), 'refused');
          const { endState, reason, params } = failed(failureCauseOf(error.activityType));
          return finish(e, endState, reason, params);
        }
        throw error;
      }),
    );
  }
  return closing(
    CancellationScope.nonCancellable(() =>
      finish(
        e,
        'completed',
        tasksLeft.length
          ? `the account is ready; still to do in Partner Center: ${tasksLeft.join(', ')}`
          : undefined,
        { tasksLeft },
      ),
    ),
  );
}

function firstStatus(request: EnrollmentRequest): EnrollmentStatus {
  const { organization, globalAdmin } = request;
  return {
    enrollmentId: workflowInfo().workflowId,
    // Kept by a reset (unlike the run ID); carried by continue-as-new in this status.
    attemptId: workflowInfo().originalExecutionRunId,
    companyName: organization.name,
    registrationNumber: organization.registrationNumber,
    organizationPhone: organization.phone,
    globalAdmin,
    ...(request.owner ? { owner: request.owner } : {}),
    stage: 'account-setup',
    startedAt: iso(),
    account: { workAccount: organization.workAccount },
    phoneVerification: { verified: false, codesSent: 0, attemptsLeft: 0 },
    review: { approvalsNeeded: 1, approvals: [], informationRequests: [] },
    agreement: {},
    provisioning: { attempts: 0 },
    audit: [],
  };
}

/**
 * A run continued from the flow before the guide's paths (./legacy) carries that flow's state: its
 * phone verification, if waiting, goes on in the old order; the rest reads as it is.
 */
function fromEarlierFlow(e: Enrollment): void {
  const { status, request } = e;
  if (status.attemptId) return;
  status.registrationNumber ??= request.organization.registrationNumber;
  status.organizationPhone ??= request.organization.phone;
  status.globalAdmin ??= request.globalAdmin;
  status.account.workAccount ??= request.organization.workAccount;
  if (status.stage === 'phone-verification' && !status.phoneVerification.verified) {
    status.phoneVerification.required = true;
    status.phoneVerification.channel = 'sms';
  }
  // The earlier flow's review expired; this one's never does.
  status.review.expiresAt = undefined;
}

/**
 * What a run carries over arrives as copies: the pending question must be the very entry of the
 * status again, or the answer would land on a copy nobody shows. It may be answered already (the
 * answer came as the run continued as new): the same question, found by when it was asked.
 */
function relinkPendingQuestion(e: Enrollment): void {
  const carried = e.pending.question;
  if (carried)
    e.pending.question =
      e.status.review.informationRequests.find((question) => question.askedAt === carried.askedAt) ?? carried;
}
