/**
 * Partner Center (21Vianet) over HTTP: work accounts, partner account, phone check, MPN, the CSP
 * application, the agreement, provisioning and the account settings the guide asks to complete.
 */
import { z } from 'zod';
import type {
  AgreementAcceptanceRecord,
  AgreementOffer,
  CspApplicationSubmission,
  MpnMembership,
  PartnerAccount,
  PartnerAccountRequest,
  PartnerCenter,
  PhoneCheckRequest,
  ProvisioningStatus,
  WorkAccountCheck,
  WorkAccountCreation,
  WorkAccountRequest,
  WorkAccountVerification,
} from '../contracts';
import { ExternalServiceError } from '../contracts';
import { GETTING_STARTED_TASKS } from '../../domain/getting-started';
import { type HttpClientOptions, JsonClient, segment } from '../http/json-client';

const WorkAccountBody = z.object({ tenantId: z.string().min(1), domain: z.string().min(1) });
const PartnerAccountBody = z.object({
  partnerAccountId: z.string().min(1),
  adminSignInName: z.string().min(1),
});
const VerificationBody = z.object({
  tenantId: z.string().min(1),
  domain: z.string().min(1),
  globalAdmin: z.object({ confirmed: z.boolean(), signInName: z.string().min(1).optional() }),
  partnerAccount: PartnerAccountBody.optional(),
  organization: z.object({ registered: z.boolean() }).optional(),
});
const PhoneCheckBody = z.object({ phoneVerification: z.enum(['required', 'not-required']) });
const MpnBody = z.object({ member: z.boolean(), joinUrl: z.string() });
const ApplicationBody = z.object({ applicationReference: z.string().min(1) });
const OfferBody = z.object({
  name: z.string().min(1).optional(),
  version: z.string().min(1),
  textDigest: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.string().min(1),
});
const AcceptanceBody = z.object({ acceptanceId: z.string().min(1) });
const ProvisioningBody = z.object({
  provisioningId: z.string().min(1),
  state: z.enum(['pending', 'in-progress', 'ready', 'failed']),
  reason: z.string().optional(),
});
const AccountSettingsBody = z.object({
  tasks: z.array(z.object({ task: z.string(), done: z.boolean() })),
});

const V1 = '/partner-center/v1';

export class HttpPartnerCenter implements PartnerCenter {
  private readonly http: JsonClient;

  constructor(options: HttpClientOptions) {
    this.http = new JsonClient('partner-center', options);
  }

  async createWorkAccount(request: WorkAccountRequest): Promise<WorkAccountCreation> {
    const { idempotencyKey, ...body } = request;
    try {
      const { tenantId, domain } = await this.http.request({
        method: 'POST',
        path: `${V1}/work-accounts`,
        body,
        idempotencyKey,
        response: WorkAccountBody,
      });
      return { outcome: 'created', tenantId, domain };
    } catch (error) {
      if (error instanceof ExternalServiceError && error.code === 'domain_taken')
        return { outcome: 'domain-taken' };
      throw error;
    }
  }

  async verifyWorkAccount(check: WorkAccountCheck): Promise<WorkAccountVerification> {
    try {
      // POST, so the domain and the person's email stay out of URLs and access logs.
      const found = await this.http.request({
        method: 'POST',
        path: `${V1}/work-accounts/verification`,
        body: {
          domain: check.domain,
          globalAdmin: { email: check.globalAdminEmail },
          ...(check.registrationNumber
            ? { organization: { registrationNumber: check.registrationNumber } }
            : {}),
        },
        response: VerificationBody,
      });
      return {
        outcome: 'found',
        tenantId: found.tenantId,
        domain: found.domain,
        globalAdmin: found.globalAdmin.confirmed,
        ...(found.organization ? { sameOrganization: found.organization.registered } : {}),
        ...(found.globalAdmin.signInName ? { adminSignInName: found.globalAdmin.signInName } : {}),
        ...(found.partnerAccount ? { partnerAccount: { ...found.partnerAccount } } : {}),
      };
    } catch (error) {
      if (error instanceof ExternalServiceError && error.code === 'tenant_not_found')
        return { outcome: 'unknown-domain' };
      throw error;
    }
  }

  async phoneVerificationRequired(check: PhoneCheckRequest): Promise<{ required: boolean }> {
    const { phoneVerification } = await this.http.request({
      method: 'POST',
      path: `${V1}/phone-verification-checks`,
      body: check,
      response: PhoneCheckBody,
    });
    return { required: phoneVerification === 'required' };
  }

  async createPartnerAccount(request: PartnerAccountRequest): Promise<PartnerAccount> {
    const { idempotencyKey, ...body } = request;
    const { partnerAccountId, adminSignInName } = await this.http.request({
      method: 'POST',
      path: `${V1}/partner-accounts`,
      body,
      idempotencyKey,
      response: PartnerAccountBody,
    });
    return { partnerAccountId, adminSignInName };
  }

  async checkMpnMembership(mpnId: string): Promise<MpnMembership> {
    const { member, joinUrl } = await this.http.request({
      method: 'GET',
      path: `${V1}/mpn/${segment(mpnId)}`,
      response: MpnBody,
    });
    return { member, joinUrl };
  }

  async submitCspApplication(
    submission: CspApplicationSubmission,
  ): Promise<{ applicationReference: string }> {
    const { idempotencyKey, partnerAccountId, application } = submission;
    const { applicationReference } = await this.http.request({
      method: 'POST',
      path: `${V1}/csp-applications`,
      body: { partnerAccountId, ...application },
      idempotencyKey,
      response: ApplicationBody,
    });
    return { applicationReference };
  }

  async getAgreementOffer(): Promise<AgreementOffer> {
    const { name, version, textDigest, url } = await this.http.request({
      method: 'GET',
      path: `${V1}/agreements/current`,
      response: OfferBody,
    });
    return { ...(name ? { name } : {}), version, textDigest, url };
  }

  async recordAgreementAcceptance(record: AgreementAcceptanceRecord): Promise<{ acceptanceId: string }> {
    const { idempotencyKey, ...body } = record;
    const { acceptanceId } = await this.http.request({
      method: 'POST',
      path: `${V1}/agreement-acceptances`,
      body,
      idempotencyKey,
      response: AcceptanceBody,
    });
    return { acceptanceId };
  }

  async startProvisioning(request: {
    idempotencyKey: string;
    partnerAccountId: string;
  }): Promise<ProvisioningStatus> {
    const { idempotencyKey, ...body } = request;
    return provisioningStatus(
      await this.http.request({
        method: 'POST',
        path: `${V1}/provisioning`,
        body,
        idempotencyKey,
        response: ProvisioningBody,
      }),
    );
  }

  async getProvisioningStatus(provisioningId: string): Promise<ProvisioningStatus> {
    return provisioningStatus(
      await this.http.request({
        method: 'GET',
        path: `${V1}/provisioning/${segment(provisioningId)}`,
        response: ProvisioningBody,
      }),
    );
  }

  async getAccountSettings(partnerAccountId: string) {
    const { tasks } = await this.http.request({
      method: 'GET',
      path: `${V1}/partner-accounts/${segment(partnerAccountId)}/account-settings`,
      response: AccountSettingsBody,
    });
    // Tasks Partner Center does not report count as open; unknown ones are ignored.
    const done = (task: string) => tasks.some((entry) => entry.task === task && entry.done);
    return {
      tasks: Object.fromEntries(GETTING_STARTED_TASKS.map((task) => [task, done(task)])) as Record<
        (typeof GETTING_STARTED_TASKS)[number],
        boolean
      >,
    };
  }
}

/** Keeps only contract fields, and no `reason: undefined` in workflow history. */
function provisioningStatus(body: z.infer<typeof ProvisioningBody>): ProvisioningStatus {
  const { provisioningId, state, reason } = body;
  return reason === undefined ? { provisioningId, state } : { provisioningId, state, reason };
}
