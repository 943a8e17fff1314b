/**
 * In-memory stand-ins for the external systems, for workflow suites on the time-skipping server.
 * They implement the same contracts as the HTTP clients, so the real activity factory runs on top
 * of them; they record every call (with its idempotency key) so tests can count side effects.
 * One FakeWorld may serve several enrollments in turn (a re-enrollment): it remembers what it made.
 */
import { createHash } from 'node:crypto';
import type { ActivityDependencies } from '../../src/activities';
import { GETTING_STARTED_TASKS, type GettingStartedTask } from '../../src/domain/getting-started';
import { GUIDE_LINKS } from '../../src/domain/links';
import type { Notification } from '../../src/domain/notifications';
import {
  ExternalServiceError,
  type CreditReport,
  type MpnMembership,
  type PartnerCenter,
  type ProvisioningStatus,
} from '../../src/integrations/contracts';
import { MailDeliveryError } from '../../src/integrations/mail/mailer';
import { MemoryAuditLog } from './memory-audit-log';

export const AGREEMENT_TEXT = '21Vianet CSP reseller agreement, test edition';
export const AGREEMENT_OFFER = {
  name: '21Vianet CSP reseller agreement',
  version: '2026-11',
  textDigest: createHash('sha256').update(AGREEMENT_TEXT).digest('hex'),
  url: 'https://partner.example.cn/agreements/csp-2026-11',
};

/** The code every SMS or voice call of the fake gateway carries (unless `codePerVerification`). */
export const GOOD_CODE = '246810';

export interface FakeTenant {
  domain: string;
  globalAdmins: string[];
  /** The organization it is registered to. */
  registrationNumber?: string;
  partnerAccountId?: string;
}

export interface FakeOptions {
  credit?: Partial<CreditReport>;
  membership?: Partial<MpnMembership>;
  /** Provisioning outcome per attempt (1-based); missing attempts are ready. */
  provisioning?: ProvisioningStatus['state'][];
  /** Partner Center answers the agreement offer only once this settles. */
  offerHeldUntil?: Promise<void>;
  /** The mail server takes emails of these templates only once `until` settles. */
  mailHeld?: { templates: Notification['template'][]; until: Promise<void> };
  /** Work accounts that exist before the enrollment. */
  tenants?: FakeTenant[];
  /** Whether Partner Center asks for phone verification (default: yes). */
  phoneVerification?: boolean;
  /** Getting-started tasks done in Partner Center from the start (default: all of them). */
  tasksDone?: GettingStartedTask[];
  /** Domain prefixes registered to someone else. */
  takenPrefixes?: string[];
  /** Calls of the SMS gateway (1-based, counting failed ones) that fail, as in an outage. */
  smsFailAt?: number[];
  /** Partner Center operations that fail for good (a 4xx that no retry heals) this many times first. */
  failing?: Partial<Record<keyof PartnerCenter, number>>;
  /** Each verification its own code (read it with `lastCode`), so one attempt's code is wrong in another. */
  codePerVerification?: boolean;
  /** Emails of these templates are refused for good by the mail server the first time. */
  undeliverable?: Notification['template'][];
}

interface Tenant extends FakeTenant {
  tenantId: string;
}

export class FakeWorld {
  readonly calls: { operation: string; key?: string; input?: unknown }[] = [];
  readonly mails: (Notification & { messageId: string })[] = [];
  readonly tenants: Tenant[];
  /** Verification ID -> phone and channel it went to, and the code it carried. */
  readonly codes = new Map<string, { phone: string; channel?: string; code: string }>();
  readonly tasksDone: Set<GettingStartedTask>;
  /** The durable audit log the enrollments write to. */
  readonly auditLog = new MemoryAuditLog();
  private smsCalls = 0;
  private readonly failures: Partial<Record<keyof PartnerCenter, number>>;
  private readonly refusedOnce = new Set<string>();

  constructor(private readonly options: FakeOptions = {}) {
    this.tenants = (options.tenants ?? []).map((tenant, i) => ({ ...tenant, tenantId: `pre-${i}` }));
    // By default the tasks are done as soon as the account is ready, so enrollments complete at once.
    this.tasksDone = new Set(options.tasksDone ?? GETTING_STARTED_TASKS);
    this.failures = { ...options.failing };
  }

  count(operation: string): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  keys(operation: string): (string | undefined)[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.key);
  }

  mailsOf(template: Notification['template']): Notification[] {
    return this.mails.filter((mail) => mail.template === template);
  }

  /**
   * The emails of a template once at least `count` went out: emails go beside the flow, so a stage
   * or an audit entry may show before its email is sent.
   */
  async waitForMails(template: Notification['template'], count = 1): Promise<Notification[]> {
    const deadline = Date.now() + 10_000;
    while (this.mailsOf(template).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} ${template} email(s), got ${this.mailsOf(template).length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.mailsOf(template);
  }

  /** The code of the latest SMS or voice call, as the applicant reads it. */
  lastCode(): string {
    const sent = [...this.codes.values()].at(-1);
    if (!sent) throw new Error('no code was sent');
    return sent.code;
  }

  /** A person completes a getting-started task in Partner Center. */
  completeTask(task: GettingStartedTask): void {
    this.tasksDone.add(task);
  }

  dependencies(): ActivityDependencies {
    const record = (operation: string, key?: string, input?: unknown) => {
      this.calls.push({ operation, key, input });
      const left = this.failures[operation as keyof PartnerCenter] ?? 0;
      if (left > 0) {
        this.failures[operation as keyof PartnerCenter] = left - 1;
        throw new ExternalServiceError(
          `partner-center ${operation} failed (400): refused (fake)`,
          'partner-center',
          false,
          400,
        );
      }
    };
    const options = this.options;
    const tenants = this.tenants;
    const provisioning = new Map<string, number>();
    const byDomain = (domain: string) => tenants.find((tenant) => tenant.domain === domain);
    const partnerCenter: PartnerCenter = {
      async createWorkAccount(request) {
        record('createWorkAccount', request.idempotencyKey, request);
        const domain = `${request.domainPrefix}.partner.onmschina.cn`;
        if (options.takenPrefixes?.includes(request.domainPrefix) || byDomain(domain))
          return { outcome: 'domain-taken' };
        const tenantId = `tenant-${request.idempotencyKey}`;
        tenants.push({
          tenantId,
          domain,
          globalAdmins: request.globalAdmin ? [request.globalAdmin.email] : [],
          ...(request.registrationNumber ? { registrationNumber: request.registrationNumber } : {}),
        });
        return { outcome: 'created', tenantId, domain };
      },
      async verifyWorkAccount(check) {
        record('verifyWorkAccount', undefined, check);
        const tenant = byDomain(check.domain);
        if (!tenant) return { outcome: 'unknown-domain' };
        const admin = tenant.globalAdmins.includes(check.globalAdminEmail);
        return {
          outcome: 'found',
          tenantId: tenant.tenantId,
          domain: tenant.domain,
          globalAdmin: admin,
          ...(check.registrationNumber && tenant.registrationNumber
            ? { sameOrganization: check.registrationNumber === tenant.registrationNumber }
            : {}),
          ...(admin ? { adminSignInName: `admin@${tenant.domain}` } : {}),
          ...(admin && tenant.partnerAccountId
            ? {
                partnerAccount: {
                  partnerAccountId: tenant.partnerAccountId,
                  adminSignInName: `admin@${tenant.domain}`,
                },
              }
            : {}),
        };
      },
      async phoneVerificationRequired(check) {
        record('phoneVerificationRequired', undefined, check);
        return { required: options.phoneVerification ?? true };
      },
      async createPartnerAccount(request) {
        record('createPartnerAccount', request.idempotencyKey, request);
        const partnerAccountId = `pa-${request.idempotencyKey}`;
        const tenant = tenants.find((candidate) => candidate.tenantId === request.tenantId);
        if (tenant) tenant.partnerAccountId = partnerAccountId;
        return { partnerAccountId, adminSignInName: `admin@${tenant?.domain ?? request.tenantId}` };
      },
      async checkMpnMembership(mpnId) {
        record('checkMpnMembership', mpnId);
        return { member: true, joinUrl: 'https://partner.example.cn/mpn/join', ...options.membership };
      },
      async submitCspApplication(submission) {
        record('submitCspApplication', submission.idempotencyKey, submission);
        return { applicationReference: `APP-${submission.idempotencyKey}` };
      },
      async getAgreementOffer() {
        record('getAgreementOffer');
        await options.offerHeldUntil;
        return AGREEMENT_OFFER;
      },
      async recordAgreementAcceptance(acceptance) {
        record('recordAgreementAcceptance', acceptance.idempotencyKey, acceptance);
        return { acceptanceId: 'acc-1' };
      },
      async startProvisioning(request) {
        record('startProvisioning', request.idempotencyKey);
        const attempt = provisioning.size + 1;
        const provisioningId = `prov-${attempt}`;
        provisioning.set(provisioningId, attempt);
        return { provisioningId, state: 'pending' };
      },
      async getProvisioningStatus(provisioningId) {
        record('getProvisioningStatus', provisioningId);
        const attempt = provisioning.get(provisioningId) ?? 1;
        const state = options.provisioning?.[attempt - 1] ?? 'ready';
        return {
          provisioningId,
          state,
          ...(state === 'failed' ? { reason: 'tenant configuration error' } : {}),
        };
      },
      getAccountSettings: async (partnerAccountId) => {
        record('getAccountSettings', partnerAccountId);
        return {
          tasks: Object.fromEntries(
            GETTING_STARTED_TASKS.map((task) => [task, this.tasksDone.has(task)]),
          ) as Record<GettingStartedTask, boolean>,
        };
      },
    };
    return {
      auditLog: this.auditLog,
      partnerCenter,
      creditBureau: {
        async checkSolvency(request) {
          record('checkSolvency', request.idempotencyKey);
          return {
            decision: 'approved',
            score: 720,
            riskBand: 'low',
            reportReference: `CR-${request.idempotencyKey}`,
            registeredName: request.companyName,
            ...options.credit,
          };
        },
      },
      sms: {
        startVerification: async (request) => {
          this.smsCalls += 1;
          if (options.smsFailAt?.includes(this.smsCalls))
            throw new Error('SMS gateway unavailable (fake outage)');
          record('startVerification', request.idempotencyKey, request);
          const verificationId = `ver-${request.idempotencyKey}`;
          const code = options.codePerVerification
            ? String(
                100_000 +
                  (parseInt(createHash('sha256').update(verificationId).digest('hex').slice(0, 8), 16) %
                    900_000),
              )
            : GOOD_CODE;
          this.codes.set(verificationId, { phone: request.phone, channel: request.channel, code });
          return { verificationId };
        },
        checkVerification: async ({ verificationId, code }) => {
          record('checkVerification', undefined, { verificationId });
          return { valid: this.codes.get(verificationId)?.code === code };
        },
      },
      mail: {
        send: async (enrollmentId, notification, scope) => {
          if (options.mailHeld?.templates.includes(notification.template)) await options.mailHeld.until;
          if (
            options.undeliverable?.includes(notification.template) &&
            !this.refusedOnce.has(notification.key)
          ) {
            this.refusedOnce.add(notification.key);
            throw new MailDeliveryError(
              'SMTP server permanently rejected the message (550): mailbox unavailable',
              false,
              550,
            );
          }
          const messageId = `<${notification.key}.${enrollmentId}.${scope ?? '-'}@test>`;
          this.mails.push({ ...notification, messageId });
          return { messageId };
        },
      },
      reviewers: ['reviewers@example.cn'],
      reviewLeads: ['leads@example.cn'],
      operators: ['operators@example.cn'],
      links: GUIDE_LINKS,
      caseUrlTemplate: 'https://console.example.cn/#enrollment={id}',
    };
  }
}
