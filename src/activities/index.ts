/**
 * The enrollment's side effects. Thin: each turns one workflow step into one call of an external
 * system, marks business refusals and permanent errors non-retryable, and carries an idempotency
 * key (workflow ID plus step) on every call that creates something.
 */
import { ApplicationFailure, Context, CancelledFailure } from '@temporalio/activity';
import type {
  AgreementAcceptanceRecord,
  CreditBureau,
  PartnerCenter,
  ProvisioningStatus,
  SmsGateway,
} from '../integrations/contracts';
import { ExternalServiceError } from '../integrations/contracts';
import type { Notification } from '../domain/notifications';

/** Sends one notification; implemented by the SMTP mailer. */
export interface NotificationSender {
  send(enrollmentId: string, notification: Notification): Promise<{ messageId: string }>;
}

export interface ActivityDependencies {
  partnerCenter: PartnerCenter;
  creditBureau: CreditBureau;
  sms: SmsGateway;
  mail: NotificationSender;
  /** Addresses of the review team, for reminders and escalations. */
  reviewers: string[];
  reviewLeads: string[];
  /** Where the applicant signs in to Partner Center, quoted in account emails. */
  signInUrl: string;
}

/** Failure types the workflow turns into end states. */
export const BUSINESS_FAILURES = {
  notAnMpnMember: 'NotAnMpnMember',
  creditDeclined: 'CreditDeclined',
} as const;

export type NotificationRequest = Omit<Notification, 'to'> & { to: string[] | 'reviewers' | 'review-leads' };

/** Retryable errors are rethrown as they are; permanent ones become non-retryable failures. */
function classified(error: unknown): unknown {
  if (error instanceof ExternalServiceError && !error.retryable) {
    return ApplicationFailure.nonRetryable(error.message, `${error.service}Refused`, {
      status: error.status,
    });
  }
  if (error instanceof Error && 'retryable' in error && error.retryable === false) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  return error;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classified(error);
  }
}

function sleepUnlessCancelled(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledFailure('provisioning follow-up cancelled'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new CancelledFailure('provisioning follow-up cancelled'));
      },
      { once: true },
    );
  });
}

export function createActivities(deps: ActivityDependencies) {
  const { partnerCenter, creditBureau, sms, mail } = deps;
  return {
    async createWorkAccount(input: { enrollmentId: string; companyName: string; domainPrefix: string }) {
      return call(() =>
        partnerCenter.createWorkAccount({
          idempotencyKey: `${input.enrollmentId}/work-account`,
          companyName: input.companyName,
          domainPrefix: input.domainPrefix,
        }),
      );
    },

    async createPartnerAccount(input: {
      enrollmentId: string;
      tenantId: string;
      companyName: string;
      globalAdmin: { firstName: string; lastName: string; email: string };
    }) {
      return call(() =>
        partnerCenter.createPartnerAccount({
          idempotencyKey: `${input.enrollmentId}/partner-account`,
          tenantId: input.tenantId,
          companyName: input.companyName,
          globalAdmin: input.globalAdmin,
        }),
      );
    },

    async sendVerificationCode(input: {
      enrollmentId: string;
      codeNumber: number;
      phone: string;
      locale: string;
    }) {
      return call(() =>
        sms.startVerification({
          idempotencyKey: `${input.enrollmentId}/phone-code-${input.codeNumber}`,
          phone: input.phone,
          locale: input.locale,
        }),
      );
    },

    async checkVerificationCode(input: { verificationId: string; code: string }) {
      return call(() => sms.checkVerification(input));
    },

    /** Only partner network members may enroll: a non-member is a business refusal. */
    async checkMpnMembership(input: { mpnId: string }) {
      const membership = await call(() => partnerCenter.checkMpnMembership(input.mpnId));
      if (!membership.member) {
        throw ApplicationFailure.nonRetryable(
          `MPN ID ${input.mpnId} is not a member of the partner network`,
          BUSINESS_FAILURES.notAnMpnMember,
          { joinUrl: membership.joinUrl },
        );
      }
      return membership;
    },

    /** A declined solvency check is a business refusal; otherwise the report feeds the review. */
    async runCreditCheck(input: { enrollmentId: string; companyName: string; registrationNumber: string }) {
      const report = await call(() =>
        creditBureau.checkSolvency({
          idempotencyKey: `${input.enrollmentId}/credit-check`,
          companyName: input.companyName,
          registrationNumber: input.registrationNumber,
        }),
      );
      if (report.decision === 'declined') {
        throw ApplicationFailure.nonRetryable(
          `credit check declined: ${report.reason ?? 'insufficient solvency'}`,
          BUSINESS_FAILURES.creditDeclined,
          { reportReference: report.reportReference, riskBand: report.riskBand },
        );
      }
      return report;
    },

    async getAgreementOffer() {
      return call(() => partnerCenter.getAgreementOffer());
    },

    async recordAgreementAcceptance(
      input: { enrollmentId: string } & Omit<AgreementAcceptanceRecord, 'idempotencyKey'>,
    ) {
      const { enrollmentId, ...record } = input;
      return call(() =>
        partnerCenter.recordAgreementAcceptance({ ...record, idempotencyKey: `${enrollmentId}/agreement` }),
      );
    },

    async startProvisioning(input: { enrollmentId: string; partnerAccountId: string; attempt: number }) {
      return call(() =>
        partnerCenter.startProvisioning({
          idempotencyKey: `${input.enrollmentId}/provisioning-${input.attempt}`,
          partnerAccountId: input.partnerAccountId,
        }),
      );
    },

    /**
     * Follows provisioning until it is ready or failed. Heartbeats each poll so a lost worker is
     * noticed within the heartbeat timeout, and stops when the workflow cancels it (withdrawal).
     */
    async awaitProvisioning(input: {
      provisioningId: string;
      pollEveryMs: number;
    }): Promise<ProvisioningStatus> {
      const context = Context.current();
      for (;;) {
        const status = await call(() => partnerCenter.getProvisioningStatus(input.provisioningId));
        context.heartbeat(status.state);
        if (status.state === 'ready' || status.state === 'failed') return status;
        await sleepUnlessCancelled(input.pollEveryMs, context.cancellationSignal);
      }
    },

    async sendNotification(input: { enrollmentId: string; notification: NotificationRequest }) {
      const { to, ...rest } = input.notification;
      const recipients = to === 'reviewers' ? deps.reviewers : to === 'review-leads' ? deps.reviewLeads : to;
      if (recipients.length === 0) return { messageId: undefined, skipped: 'no recipients configured' };
      const params = { signInUrl: deps.signInUrl, ...rest.params };
      return call(() => mail.send(input.enrollmentId, { ...rest, params, to: recipients }));
    },
  };
}

export type EnrollmentActivities = ReturnType<typeof createActivities>;
