/**
 * In-memory stand-ins for the external systems, for workflow suites on the time-skipping server.
 * They implement the same contracts as the HTTP clients, so the real activity factory runs on top
 * of them; they record every call so tests can count side effects.
 */
import { createHash } from 'node:crypto';
import type { ActivityDependencies } from '../../src/activities';
import type { Notification } from '../../src/domain/notifications';
import type {
  CreditReport,
  MpnMembership,
  PartnerCenter,
  ProvisioningStatus,
} from '../../src/integrations/contracts';

export const AGREEMENT_TEXT = 'Microsoft Cloud Solution Provider reseller agreement (21Vianet), test edition';
export const AGREEMENT_OFFER = {
  version: '2026-11',
  textDigest: createHash('sha256').update(AGREEMENT_TEXT).digest('hex'),
  url: 'https://partner.example.cn/agreements/csp-2026-11',
};
export const GOOD_CODE = '246810';

export interface FakeOptions {
  credit?: Partial<CreditReport>;
  membership?: Partial<MpnMembership>;
  /** Provisioning outcome per attempt (1-based); missing attempts are ready. */
  provisioning?: ProvisioningStatus['state'][];
  /** Partner Center answers the agreement offer only once this settles. */
  offerHeldUntil?: Promise<void>;
}

export class FakeWorld {
  readonly calls: { operation: string; key?: string }[] = [];
  readonly mails: Notification[] = [];
  constructor(private readonly options: FakeOptions = {}) {}

  count(operation: string): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  mailsOf(template: Notification['template']): Notification[] {
    return this.mails.filter((mail) => mail.template === template);
  }

  dependencies(): ActivityDependencies {
    const record = (operation: string, key?: string) => this.calls.push({ operation, key });
    const options = this.options;
    const provisioning = new Map<string, number>();
    const partnerCenter: PartnerCenter = {
      async createWorkAccount(request) {
        record('createWorkAccount', request.idempotencyKey);
        return {
          tenantId: `tenant-${request.domainPrefix}`,
          domain: `${request.domainPrefix}.partner.onmschina.cn`,
        };
      },
      async createPartnerAccount(request) {
        record('createPartnerAccount', request.idempotencyKey);
        return { partnerAccountId: `pa-${request.tenantId}`, adminSignInName: `admin@${request.tenantId}` };
      },
      async checkMpnMembership(mpnId) {
        record('checkMpnMembership', mpnId);
        return { member: true, joinUrl: 'https://partner.example.cn/mpn/join', ...options.membership };
      },
      async getAgreementOffer() {
        record('getAgreementOffer');
        await options.offerHeldUntil;
        return AGREEMENT_OFFER;
      },
      async recordAgreementAcceptance(acceptance) {
        record('recordAgreementAcceptance', acceptance.idempotencyKey);
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
    };
    return {
      partnerCenter,
      creditBureau: {
        async checkSolvency(request) {
          record('checkSolvency', request.idempotencyKey);
          return {
            decision: 'approved',
            score: 720,
            riskBand: 'low',
            reportReference: 'CR-1',
            ...options.credit,
          };
        },
      },
      sms: {
        async startVerification(request) {
          record('startVerification', request.idempotencyKey);
          return { verificationId: `ver-${request.idempotencyKey}` };
        },
        async checkVerification({ code }) {
          record('checkVerification');
          return { valid: code === GOOD_CODE };
        },
      },
      mail: {
        send: async (enrollmentId, notification) => {
          this.mails.push(notification);
          return { messageId: `<${notification.key}.${enrollmentId}@test>` };
        },
      },
      reviewers: ['reviewers@example.cn'],
      reviewLeads: ['leads@example.cn'],
      signInUrl: 'https://partner.example.cn',
    };
  }
}
