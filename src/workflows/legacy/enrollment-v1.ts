/**
 * The enrollment as it ran before it followed the guide's paths (existing work accounts, phone
 * check before the partner account, the application sent to Partner Center, reviews that never
 * expire, getting started). Enrollments started then replay and finish here, in their old order:
 * do not change the commands this code issues. A review waiting here moves to the guide's flow at
 * its next reminder or at its expiry, whichever comes first, by continuing as new (patches
 * 'review-moves-to-guide-flow', 'review-expiry-moves-to-guide-flow'). Delete this folder
 * once no enrollment runs it (none has the 'guide-flow' patch marker).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { describeIssues } from '../../domain/actions';
import { durationMs } from '../../domain/enrollment';
import type { NotificationParams, NotificationTemplate } from '../../domain/notifications';
import type { EndState, EnrollmentOutcome, EnrollmentStatus, Stage } from '../../domain/status';
import { followProvisioning, withSummary } from '../activities';
import { registerActions, type EnrollmentContext, type Pending } from './handlers-v1';
import { searchAttributes, statusQuery } from '../definitions';
import { metrics } from '../metrics';
import { LegacyEnrollmentRequest } from './request-v1';
import { ContinueAsNewNeeded, waitWithReminders, type ReminderClock } from './waiting-v1';

/** What an enrollment of this flow carries into its next run (the guide's flow) when it continues as new. */
export interface ResumeV1 {
  status: EnrollmentStatus;
  pending: Pending;
  clock: { applicationDeadline: number; reminders: Record<string, ReminderClock> };
}

/**
 * Since this patch the approval email goes out after the agreement stage is entered, so a
 * reviewer's approval shows as the next stage after one activity instead of two.
 */
const APPROVAL_EMAIL_AFTER_STAGE = 'approval-email-after-agreement-stage';

/**
 * Since this patch the `agreement` stage is entered in the reviewer's own workflow task, so the
 * approval shows at once; the offer is fetched behind it and acceptance waits for it.
 */
const AGREEMENT_STAGE_ON_APPROVAL = 'agreement-stage-on-approval';

/** Since this patch a review waiting here moves to the guide's flow, where reviews never expire. */
const REVIEW_MOVES_TO_GUIDE_FLOW = 'review-moves-to-guide-flow';

/**
 * Since this patch a review also moves at its expiry, instead of expiring: one whose expiry came
 * before its next reminder, or whose question was answered after it, expired on the applicant.
 */
const REVIEW_EXPIRY_MOVES_TO_GUIDE_FLOW = 'review-expiry-moves-to-guide-flow';

/** Thrown inside the flow to end the enrollment in a business end state. */
class Ended extends Error {
  constructor(
    readonly endState: EndState,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const iso = (ms: number = Date.now()) => new Date(ms).toISOString();

export async function enrollmentV1(input: unknown, resume?: ResumeV1): Promise<EnrollmentOutcome> {
  const parsed = LegacyEnrollmentRequest.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid enrollment request: ${describeIssues(parsed.error)}`,
      'InvalidInput',
    );
  }
  const request = parsed.data;
  const { policy, organization, globalAdmin } = request;
  const enrollmentId = workflowInfo().workflowId;

  const status: EnrollmentStatus = resume?.status ?? {
    enrollmentId,
    companyName: organization.name,
    ...(request.owner ? { owner: request.owner } : {}),
    stage: 'account-setup',
    startedAt: iso(),
    account: {},
    phoneVerification: { verified: false, codesSent: 0, attemptsLeft: 0 },
    review: { approvalsNeeded: 1, approvals: [], informationRequests: [] },
    agreement: {},
    provisioning: { attempts: 0 },
    audit: [],
  };
  const pending: Pending = resume?.pending ?? {};
  // The open question must be the very entry of the status, so its answer shows there (answered
  // already when the answer came as the run continued: found by when it was asked).
  const carried = pending.question;
  if (carried)
    pending.question =
      status.review.informationRequests.find((q) => q.askedAt === carried.askedAt) ?? carried;
  const clock: ResumeV1['clock'] = resume?.clock ?? {
    applicationDeadline: Date.now() + durationMs(policy.application.due),
    reminders: {},
  };
  const reminderClock = (key: string) => (clock.reminders[key] ??= { sent: 0 });
  const historyFull = () =>
    workflowInfo().continueAsNewSuggested ||
    workflowInfo().historyLength >= policy.history.continueAsNewAfterEvents;
  const flow = new CancellationScope();

  const ctx: EnrollmentContext = {
    request,
    status,
    pending,
    audit(actor, action, detail, outcome = 'done') {
      status.audit.push({ at: iso(), actor, action, outcome, ...(detail ? { detail } : {}) });
    },
    async sendCode() {
      const codeNumber = status.phoneVerification.codesSent + 1;
      const { verificationId } = await withSummary(
        'sendVerificationCode',
        `Send phone code #${codeNumber} by SMS`,
      )({
        enrollmentId,
        codeNumber,
        phone: globalAdmin.mobile,
        locale: request.locale,
      });
      pending.verificationId = verificationId;
      status.phoneVerification.codesSent = codeNumber;
      status.phoneVerification.attemptsLeft = policy.phoneVerification.maxAttemptsPerCode;
      status.phoneVerification.codeExpiresAt = iso(
        Date.now() + durationMs(policy.phoneVerification.codeValidity),
      );
      ctx.audit(
        'system',
        'phone code sent',
        `code #${codeNumber}, valid until ${status.phoneVerification.codeExpiresAt}`,
      );
    },
    withdraw() {
      flow.cancel();
    },
  };
  registerActions(ctx);
  if (!resume) metrics.started();
  setHandler(statusQuery, () => status);

  function enterStage(stage: Stage, dueAt?: number): void {
    metrics.stage(stage);
    status.stage = stage;
    status.dueAt = dueAt === undefined ? undefined : iso(dueAt);
    upsertSearchAttributes([
      { key: searchAttributes.stage, value: stage },
      { key: searchAttributes.dueAt, value: dueAt === undefined ? null : new Date(dueAt) },
    ]);
    setCurrentDetails(`**Stage:** ${stage}${dueAt === undefined ? '' : `  \n**Due:** ${iso(dueAt)}`}`);
    ctx.audit('system', `stage ${stage}`, dueAt === undefined ? undefined : `due ${iso(dueAt)}`);
  }

  /** Mail is best effort for the flow: a permanent failure is audited, the enrollment goes on. */
  async function notify(
    key: string,
    template: NotificationTemplate,
    to: string[] | 'reviewers' | 'review-leads',
    params: Partial<NotificationParams> = {},
  ): Promise<void> {
    try {
      await withSummary(
        'sendNotification',
        `Email: ${template}`,
      )({
        enrollmentId,
        notification: {
          key,
          template,
          to,
          locale: request.locale,
          params: { companyName: organization.name, enrollmentId, ...params },
        },
      });
      ctx.audit('system', `email ${template} sent`, Array.isArray(to) ? 'to the applicant' : `to ${to}`);
    } catch (error) {
      if (isCancellation(error)) throw error;
      const reason =
        error instanceof ActivityFailure ? (error.cause?.message ?? error.message) : String(error);
      ctx.audit('system', `email ${template} failed`, reason, 'refused');
    }
  }
  const toApplicant = [globalAdmin.email];
  const applicantName = `${globalAdmin.firstName} ${globalAdmin.lastName}`;

  /** Waits for the applicant with weekly reminders until the deadline. */
  function applicantWait(clockKey: string, summary: string, done: () => boolean, deadline: number) {
    return waitWithReminders(done, {
      summary,
      deadline,
      remindEvery: durationMs(policy.application.reminderEvery),
      clock: reminderClock(clockKey),
      historyFull,
      onReminder: async (n) => {
        ctx.audit('system', `reminder #${n} to the applicant`, summary);
        metrics.reminder('applicant');
        await notify(`application-reminder-${clockKey}-${n}`, 'application-reminder', toApplicant, {
          dueAt: iso(deadline),
        });
      },
    });
  }

  async function setUpAccount(): Promise<void> {
    let tenantId = organization.existingTenantDomain;
    if (tenantId) {
      ctx.audit('system', 'work account exists', tenantId);
    } else {
      const work = await withSummary(
        'createWorkAccount',
        'Create the work account',
      )({
        enrollmentId,
        companyName: organization.name,
        domainPrefix: organization.domainPrefix,
      });
      // Recorded results of this flow carry no `outcome`: a work account was created.
      if (work.outcome === 'domain-taken') {
        throw ApplicationFailure.nonRetryable(
          `domainPrefix: "${organization.domainPrefix}" is already registered`,
          'partner-centerRefused',
        );
      }
      tenantId = work.tenantId;
      status.account.tenantDomain = work.domain;
      ctx.audit('system', 'work account created', work.domain);
    }
    status.account.tenantDomain ??= tenantId;
    const partner = await withSummary(
      'createPartnerAccount',
      'Create the Partner Center account',
    )({
      enrollmentId,
      tenantId,
      companyName: organization.name,
      globalAdmin: {
        firstName: globalAdmin.firstName,
        lastName: globalAdmin.lastName,
        email: globalAdmin.email,
      },
    });
    status.account.partnerAccountId = partner.partnerAccountId;
    status.account.adminSignInName = partner.adminSignInName;
    ctx.audit('system', 'partner account created', partner.partnerAccountId);
    await notify('account-created', 'account-created', toApplicant, {
      recipientName: applicantName,
      signInName: partner.adminSignInName,
    });
  }

  async function verifyPhone(deadline: number): Promise<void> {
    if (status.stage !== 'phone-verification') {
      enterStage('phone-verification', deadline);
      await ctx.sendCode();
    }
    const { maxCodes } = policy.phoneVerification;
    const exhausted = () =>
      status.phoneVerification.codesSent >= maxCodes && status.phoneVerification.attemptsLeft <= 0;
    const ok = await applicantWait(
      'phone',
      'Wait for the phone code',
      () => status.phoneVerification.verified || exhausted(),
      deadline,
    );
    await condition(allHandlersFinished); // a code being checked finishes first
    if (status.phoneVerification.verified) return;
    if (!ok) throw new Ended('expired', 'the phone number was not verified before the application deadline');
    throw new Ended('failed', `phone verification failed: all ${maxCodes} codes used`);
  }

  async function collectApplication(deadline: number): Promise<void> {
    if (status.stage !== 'application') enterStage('application', deadline);
    if (
      !(await applicantWait(
        'application',
        'Wait for the CSP application',
        () => !!status.application,
        deadline,
      ))
    ) {
      throw new Ended('expired', 'no application was submitted before the deadline');
    }
    const application = status.application!;
    upsertSearchAttributes([{ key: searchAttributes.mpnId, value: application.mpnId }]);
    await notify('application-received', 'application-received', toApplicant, {
      recipientName: applicantName,
    });
    try {
      await withSummary('checkMpnMembership', 'Check MPN membership')({ mpnId: application.mpnId });
      ctx.audit('system', 'MPN membership confirmed', application.mpnId);
    } catch (error) {
      const failure = businessFailure(error, 'NotAnMpnMember');
      if (!failure) throw error;
      const joinUrl = (failure.details?.[0] as { joinUrl?: string } | undefined)?.joinUrl;
      throw new Ended(
        'rejected',
        `MPN ID ${application.mpnId} is not a partner network member; join at ${joinUrl}`,
      );
    }
  }

  async function runCreditCheck(): Promise<void> {
    try {
      const report = await withSummary(
        'runCreditCheck',
        'Credit (solvency) check',
      )({
        enrollmentId,
        companyName: organization.name,
        registrationNumber: organization.registrationNumber,
      });
      status.review.credit = {
        decision: report.decision,
        score: report.score,
        riskBand: report.riskBand,
        reportReference: report.reportReference,
      };
      status.review.approvalsNeeded = report.riskBand === 'high' ? 2 : 1;
      upsertSearchAttributes([{ key: searchAttributes.creditRisk, value: report.riskBand }]);
      ctx.audit(
        'system',
        'credit check done',
        `risk ${report.riskBand}, score ${report.score}${report.riskBand === 'high' ? '; two reviewers must approve' : ''}`,
      );
    } catch (error) {
      const failure = businessFailure(error, 'CreditDeclined');
      if (!failure) throw error;
      throw new Ended('rejected', failure.message);
    }
  }

  async function review(): Promise<void> {
    if (!status.review.startedAt) {
      const startedAt = Date.now();
      status.review.startedAt = iso(startedAt);
      status.review.expiresAt = iso(startedAt + durationMs(policy.review.expireAfter));
    }
    const expiresAt = Date.parse(status.review.expiresAt!);
    if (status.stage === 'information-requested') await askApplicant(true); // continued as new while asking
    for (;;) {
      if (status.stage !== 'review') {
        const escalateAt = Date.now() + durationMs(policy.review.escalateAfter);
        enterStage('review', expiresAt);
        status.review.dueAt = iso(escalateAt);
        upsertSearchAttributes([{ key: searchAttributes.reviewDue, value: new Date(escalateAt) }]);
      }
      if (!status.review.credit) await runCreditCheck();
      const decided = await waitWithReminders(() => !!pending.reviewOutcome || !!pending.question, {
        summary: 'Wait for the review decision',
        deadline: expiresAt,
        remindEvery: durationMs(policy.review.reminderEvery),
        clock: reminderClock(`review-${status.review.informationRequests.length}`),
        historyFull,
        onReminder: async (n) => {
          if (patched(REVIEW_MOVES_TO_GUIDE_FLOW))
            throw new ContinueAsNewNeeded('the review moves to the guide flow');
          ctx.audit('system', `reminder #${n} to reviewers`);
          metrics.reminder('reviewers');
          await notify(
            `review-reminder-${n}-${status.review.informationRequests.length}`,
            'review-reminder',
            'reviewers',
          );
        },
        escalateAt: status.review.escalatedAt ? undefined : Date.parse(status.review.dueAt!),
        onEscalation: async () => {
          status.review.escalatedAt = iso();
          metrics.reminder('escalation');
          ctx.audit(
            'system',
            'review escalated to review leads',
            `no decision within ${policy.review.escalateAfter}`,
          );
          await notify('review-escalated', 'review-escalated', 'review-leads');
        },
      });
      if (!decided) {
        // Reviews no longer expire: one reaching its expiry (or answered after it) moves instead.
        if (patched(REVIEW_EXPIRY_MOVES_TO_GUIDE_FLOW))
          throw new ContinueAsNewNeeded('the review moves to the guide flow at its expiry');
        throw new Ended('expired', `no review decision within ${policy.review.expireAfter}`);
      }
      const outcome = pending.reviewOutcome;
      if (outcome?.decision === 'rejected') throw new Ended('rejected', outcome.reason);
      if (outcome?.decision === 'approved') return;
      await askApplicant(false);
    }
  }

  async function askApplicant(resumed: boolean): Promise<void> {
    const question = pending.question!;
    const asked = status.review.informationRequests.length;
    let deadline = Date.now() + durationMs(policy.review.informationDue);
    if (resumed) {
      deadline = Date.parse(status.dueAt!);
    } else {
      enterStage('information-requested', deadline);
      await notify(`information-requested-${asked}`, 'information-requested', toApplicant, {
        recipientName: applicantName,
        question: question.question,
        dueAt: iso(deadline),
      });
    }
    if (
      !(await applicantWait(
        `information-${asked}`,
        'Wait for the applicant’s answer',
        () => !!question.answer,
        deadline,
      ))
    ) {
      throw new Ended('expired', 'the requested information was not provided in time');
    }
    pending.question = undefined;
  }

  async function signAgreement(): Promise<void> {
    if (status.stage !== 'agreement') {
      const atApproval = patched(AGREEMENT_STAGE_ON_APPROVAL);
      const enter = () => enterStage('agreement', Date.now() + durationMs(policy.agreement.lapseAfter));
      if (atApproval) enter();
      const offer = await withSummary('getAgreementOffer', 'Fetch the current CSP reseller agreement')();
      status.agreement = { version: offer.version, textDigest: offer.textDigest, url: offer.url };
      if (!atApproval) enter();
      if (patched(APPROVAL_EMAIL_AFTER_STAGE)) {
        await notify('approved', 'approved', toApplicant, { recipientName: applicantName });
      }
    }
    const deadline = Date.parse(status.dueAt!);
    const offer = { version: status.agreement.version! };
    const signed = await waitWithReminders(() => !!status.agreement.acceptance, {
      summary: 'Wait for the agreement to be accepted',
      deadline,
      remindEvery: durationMs(policy.agreement.reminderEvery),
      clock: reminderClock('agreement'),
      historyFull,
      onReminder: async (n) => {
        ctx.audit('system', `agreement reminder #${n} to the applicant`);
        metrics.reminder('agreement');
        await notify(`agreement-reminder-${n}`, 'agreement-reminder', toApplicant, {
          dueAt: iso(deadline),
          agreementVersion: offer.version,
        });
      },
    });
    if (!signed) {
      await notify('agreement-lapsed', 'agreement-lapsed', toApplicant, { agreementVersion: offer.version });
      throw new Ended('expired', `the agreement offer lapsed after ${policy.agreement.lapseAfter}`);
    }
    const acceptance = status.agreement.acceptance!;
    await withSummary(
      'recordAgreementAcceptance',
      'Record the agreement acceptance in Partner Center',
    )({
      enrollmentId,
      partnerAccountId: status.account.partnerAccountId!,
      ...acceptance,
    });
    ctx.audit('system', 'agreement acceptance recorded', `version ${acceptance.version}`);
  }

  async function provision(): Promise<void> {
    const timeout = durationMs(policy.provisioning.timeout);
    enterStage('provisioning', Date.now() + timeout);
    const awaitProvisioning = followProvisioning(
      policy.provisioning.timeout,
      policy.provisioning.heartbeatTimeout,
      'Follow provisioning until ready',
    );
    for (let attempt = 1; attempt <= policy.provisioning.maxAttempts; attempt++) {
      status.provisioning.attempts = attempt;
      const started = await withSummary(
        'startProvisioning',
        `Start provisioning (attempt ${attempt})`,
      )({
        enrollmentId,
        partnerAccountId: status.account.partnerAccountId!,
        attempt,
      });
      status.provisioning.provisioningId = started.provisioningId;
      ctx.audit('system', 'provisioning started', `attempt ${attempt}`);
      const result = await awaitProvisioning({
        provisioningId: started.provisioningId,
        pollEveryMs: durationMs(policy.provisioning.pollEvery),
      });
      status.provisioning.state = result.state;
      if (result.state === 'ready') {
        status.provisioning.readyAt = iso();
        ctx.audit('system', 'provisioning ready');
        return;
      }
      ctx.audit('system', 'provisioning failed', `attempt ${attempt}: ${result.reason ?? 'no reason given'}`);
    }
    throw new Ended('failed', `provisioning failed ${policy.provisioning.maxAttempts} times`);
  }

  /** Each step runs unless the state carried over from an earlier run says it is done. */
  async function run(): Promise<void> {
    if (!status.account.partnerAccountId) await setUpAccount();
    if (policy.phoneVerification.required && !status.phoneVerification.verified) {
      await verifyPhone(clock.applicationDeadline);
    }
    if (!status.review.startedAt) await collectApplication(clock.applicationDeadline);
    if (pending.reviewOutcome?.decision !== 'approved') {
      await review();
      if (!patched(APPROVAL_EMAIL_AFTER_STAGE)) {
        await notify('approved', 'approved', toApplicant, { recipientName: applicantName });
      }
    }
    await signAgreement();
    await provision();
    await notify('account-ready', 'account-ready', toApplicant, {
      recipientName: applicantName,
      signInName: status.account.adminSignInName,
    });
  }

  async function finish(endState: EndState, reason?: string): Promise<EnrollmentOutcome> {
    status.stage = 'ended';
    status.endState = endState;
    status.endReason = reason;
    status.dueAt = undefined;
    upsertSearchAttributes([
      { key: searchAttributes.stage, value: 'ended' },
      { key: searchAttributes.endState, value: endState },
      { key: searchAttributes.dueAt, value: null },
    ]);
    setCurrentDetails(`**Ended:** ${endState}${reason ? `  \n${reason}` : ''}`);
    ctx.audit('system', `enrollment ${endState}`, reason);
    metrics.ended(endState);
    const template: NotificationTemplate | undefined =
      endState === 'rejected'
        ? 'rejected'
        : endState === 'withdrawn'
          ? 'withdrawn'
          : endState === 'expired'
            ? 'expired'
            : undefined;
    if (template) await notify(template, template, toApplicant, { recipientName: applicantName, reason });
    await condition(allHandlersFinished);
    return { endState, ...(reason ? { reason } : {}) };
  }

  try {
    await flow.run(run);
  } catch (error) {
    if (error instanceof ContinueAsNewNeeded) {
      await condition(allHandlersFinished);
      ctx.audit('system', 'continued as new', `after ${workflowInfo().historyLength} history events`);
      return continueAsNew(request, { status, pending, clock });
    }
    // Withdrawal cancels the flow; what was in flight stops, the end is recorded outside it.
    return CancellationScope.nonCancellable(() => {
      if (error instanceof Ended) return finish(error.endState, error.reason);
      if (isCancellation(error)) {
        return finish('withdrawn', pending.withdrawal?.reason ?? 'withdrawn at an operator’s request');
      }
      if (error instanceof ActivityFailure) {
        metrics.failure(error.activityType ?? 'unknown');
        return finish('failed', stepFailure(error));
      }
      throw error;
    });
  }
  return CancellationScope.nonCancellable(() => finish('completed'));
}

/** The business refusal of the given type behind an activity failure, if that is what it is. */
function businessFailure(error: unknown, type: string): ApplicationFailure | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === type ? cause : undefined;
}

function stepFailure(error: ActivityFailure): string {
  return `${error.activityType ?? 'a step'} failed: ${error.cause?.message ?? error.message}`;
}
