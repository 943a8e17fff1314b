/**
 * The enrollment's side effects. Thin: each turns one workflow step into one call of an external
 * system, marks business refusals and permanent errors non-retryable, and carries an idempotency
 * key on every call that creates something: the enrollment *attempt* plus the step, so a retried
 * activity never creates twice and a new enrollment of the same organization never receives an
 * earlier one's answers. (Enrollments started before attempts existed pass only their workflow ID.)
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import type { AuditLog, LoggedAuditEntry } from '../integrations/audit/audit-log';
import type { CspApplication, Person } from '../domain/enrollment';
import type { GuideLinks } from '../domain/links';
import type { Notification, Recipients } from '../domain/notifications';
import type { PhoneChannel } from '../domain/phone';
import { nextProvisioningCheckMs } from '../domain/provisioning';
import type {
  AgreementAcceptanceRecord,
  CreditBureau,
  PartnerCenter,
  ProvisioningStatus,
  SmsGateway,
} from '../integrations/contracts';
import { ExternalServiceError } from '../integrations/contracts';

export type { RetentionActivities, RetentionInput, RetentionResult } from './document-retention';

/** Sends one notification; implemented by the SMTP mailer. */
export interface NotificationSender {
  /** `messageScope` makes the Message-ID unique per enrollment attempt. */
  send(
    enrollmentId: string,
    notification: Notification,
    messageScope?: string,
  ): Promise<{ messageId: string; alreadySent?: true }>;
}

export interface ActivityDependencies {
  /** Where every audit entry is kept, beyond the latest ones the workflow holds. */
  auditLog: AuditLog;
  partnerCenter: PartnerCenter;
  creditBureau: CreditBureau;
  sms: SmsGateway;
  mail: NotificationSender;
  /** Addresses of the review team and of the program's operators, for reminders and escalations. */
  reviewers: string[];
  reviewLeads: string[];
  operators?: string[];
  /** The guide's addresses quoted in emails (configuration, the guide's own by default). */
  links: GuideLinks;
  /** Where the console shows one enrollment (`{id}` replaced), for reviewers' emails; none: no link. */
  caseUrlTemplate?: string;
}

/** Failure types the workflow turns into end states. */
export const BUSINESS_FAILURES = {
  notAnMpnMember: 'NotAnMpnMember',
  creditDeclined: 'CreditDeclined',
} as const;

/** Who an activity works for: the enrollment, and the attempt its keys are scoped to. */
interface Scope {
  enrollmentId: string;
  /** The enrollment attempt; absent in calls scheduled before attempts existed. */
  attemptId?: string;
}

const keyFor = (scope: Scope, step: string) => `${scope.attemptId ?? scope.enrollmentId}/${step}`;

export type NotificationRequest = Omit<Notification, 'to'> & { to: Recipients };

/** Retryable errors are rethrown as they are; permanent ones become non-retryable failures. */
function classified(error: unknown): unknown {
  if (error instanceof ExternalServiceError) {
    if (!error.retryable)
      return ApplicationFailure.create({
        message: error.message,
        type: `${error.service}Refused`,
        nonRetryable: true,
        details: [{ status: error.status, code: error.code }],
      });
    // The service said when to come back (Retry-After on a 429 or 503): honour it instead of the
    // policy's backoff. The policy's attempts and timeouts still bound the retries.
    if (error.retryAfterMs !== undefined)
      return ApplicationFailure.create({
        message: error.message,
        type: `${error.service}Unavailable`,
        nextRetryDelay: Math.max(error.retryAfterMs, 100),
        details: [{ status: error.status, code: error.code }],
      });
    return error;
  }
  if (error instanceof Error && 'retryable' in error && error.retryable === false) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  // A dependency that knows when to come back (the mailer's breaker): that, not the policy's backoff.
  if (error instanceof Error && 'retryAfterMs' in error && typeof error.retryAfterMs === 'number')
    return ApplicationFailure.create({
      message: error.message,
      type: error.name,
      nextRetryDelay: Math.max(error.retryAfterMs, 100),
    });
  return error;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classified(error);
  }
}

/** A business refusal: expected, so logged as benign rather than as a failing activity. */
function refusal(message: string, type: string, details: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: true,
    details: [details],
    category: ApplicationFailureCategory.BENIGN,
  });
}

export function createActivities(deps: ActivityDependencies) {
  const { partnerCenter, creditBureau, sms, mail } = deps;
  return {
    /** The guide's "create it": a new work account; a taken domain prefix is an answer, not an error. */
    async createWorkAccount(
      input: Scope & {
        companyName: string;
        domainPrefix: string;
        globalAdmin?: Person;
        registrationNumber?: string;
      },
    ) {
      return call(() =>
        partnerCenter.createWorkAccount({
          idempotencyKey: keyFor(input, 'work-account'),
          companyName: input.companyName,
          domainPrefix: input.domainPrefix,
          ...(input.globalAdmin ? { globalAdmin: input.globalAdmin } : {}),
          ...(input.registrationNumber ? { registrationNumber: input.registrationNumber } : {}),
        }),
      );
    },

    /** The guide's "sign in with your organization's account": the domain's tenant and its global admin. */
    async verifyWorkAccount(input: {
      domain: string;
      globalAdminEmail: string;
      registrationNumber?: string;
    }) {
      return call(() => partnerCenter.verifyWorkAccount(input));
    },

    async checkPhoneVerification(input: {
      tenantId: string;
      companyName: string;
      registrationNumber: string;
      phone: string;
    }) {
      return call(() => partnerCenter.phoneVerificationRequired(input));
    },

    async createPartnerAccount(
      input: Scope & { tenantId: string; companyName: string; globalAdmin: Person },
    ) {
      return call(() =>
        partnerCenter.createPartnerAccount({
          idempotencyKey: keyFor(input, 'partner-account'),
          tenantId: input.tenantId,
          companyName: input.companyName,
          globalAdmin: input.globalAdmin,
        }),
      );
    },

    async sendVerificationCode(
      input: Scope & { codeNumber: number; phone: string; channel?: PhoneChannel; locale: string },
    ) {
      return call(() =>
        sms.startVerification({
          idempotencyKey: keyFor(input, `phone-code-${input.codeNumber}`),
          phone: input.phone,
          ...(input.channel ? { channel: input.channel } : {}),
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
        throw refusal(
          `MPN ID ${input.mpnId} is not a member of the partner network`,
          BUSINESS_FAILURES.notAnMpnMember,
          { joinUrl: membership.joinUrl },
        );
      }
      return membership;
    },

    /** The guide's step 5: the application reaches Partner Center, which keeps a reference. */
    async submitCspApplication(input: Scope & { partnerAccountId: string; application: CspApplication }) {
      return call(() =>
        partnerCenter.submitCspApplication({
          idempotencyKey: keyFor(input, 'csp-application'),
          partnerAccountId: input.partnerAccountId,
          application: input.application,
        }),
      );
    },

    /** A declined solvency check is a business refusal; otherwise the report feeds the review. */
    async runCreditCheck(input: Scope & { companyName: string; registrationNumber: string }) {
      const report = await call(() =>
        creditBureau.checkSolvency({
          idempotencyKey: keyFor(input, 'credit-check'),
          companyName: input.companyName,
          registrationNumber: input.registrationNumber,
        }),
      );
      if (report.decision === 'declined') {
        throw refusal(
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

    async recordAgreementAcceptance(input: Scope & Omit<AgreementAcceptanceRecord, 'idempotencyKey'>) {
      const { enrollmentId: _enrollmentId, attemptId: _attemptId, ...record } = input;
      return call(() =>
        partnerCenter.recordAgreementAcceptance({ ...record, idempotencyKey: keyFor(input, 'agreement') }),
      );
    },

    async startProvisioning(input: Scope & { partnerAccountId: string; attempt: number }) {
      return call(() =>
        partnerCenter.startProvisioning({
          idempotencyKey: keyFor(input, `provisioning-${input.attempt}`),
          partnerAccountId: input.partnerAccountId,
        }),
      );
    },

    /**
     * Follows provisioning until it is ready or failed, soon at first, then at most `pollEveryMs`
     * apart (src/domain/provisioning.ts). Heartbeats each poll so a lost worker is noticed within
     * the heartbeat timeout, and stops when the workflow cancels it (withdrawal).
     */
    async awaitProvisioning(input: {
      provisioningId: string;
      pollEveryMs: number;
    }): Promise<ProvisioningStatus> {
      const context = Context.current();
      let wait: number | undefined;
      for (;;) {
        const status = await call(() => partnerCenter.getProvisioningStatus(input.provisioningId));
        context.heartbeat(status.state);
        if (status.state === 'ready' || status.state === 'failed') return status;
        wait = nextProvisioningCheckMs(wait, input.pollEveryMs);
        // In slices within the heartbeat timeout: a wait longer than it is no lost worker.
        const slice = Math.max(100, (context.info.heartbeatTimeoutMs ?? wait) / 2);
        for (let left = wait; left > 0; left -= slice) {
          await context.sleep(Math.min(slice, left));
          context.heartbeat(status.state);
        }
      }
    },

    /** The guide's getting-started tasks, as Partner Center sees the account. */
    async getAccountSettings(input: { partnerAccountId: string }) {
      return call(() => partnerCenter.getAccountSettings(input.partnerAccountId));
    },

    /**
     * Writes a batch of the enrollment's audit entries to the durable log. Idempotent by attempt and
     * entry number: a retried or replayed batch stores nothing twice.
     */
    async writeAuditEntries(input: Scope & { entries: LoggedAuditEntry[] }) {
      const ref = { enrollmentId: input.enrollmentId, attemptId: input.attemptId ?? input.enrollmentId };
      await call(() => deps.auditLog.append(ref, input.entries));
      return { written: input.entries.length };
    },

    async sendNotification(input: Scope & { notification: NotificationRequest }) {
      const { to, ...rest } = input.notification;
      const teams: Record<Exclude<Recipients, string[]>, string[]> = {
        reviewers: deps.reviewers,
        'review-leads': deps.reviewLeads,
        operators: deps.operators ?? [],
      };
      const recipients = Array.isArray(to) ? to : teams[to];
      if (recipients.length === 0) return { messageId: undefined, skipped: 'no recipients configured' };
      const caseUrl = deps.caseUrlTemplate?.replace('{id}', encodeURIComponent(input.enrollmentId));
      const params = {
        links: deps.links,
        ...(caseUrl && !Array.isArray(to) ? { caseUrl } : {}),
        ...rest.params,
      };
      return call(() => mail.send(input.enrollmentId, { ...rest, params, to: recipients }, input.attemptId));
    },
  };
}

export type EnrollmentActivities = ReturnType<typeof createActivities>;
