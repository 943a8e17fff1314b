/** Partner Center (21Vianet) over HTTP: tenant, partner account, MPN, agreement, provisioning. */
import { z } from 'zod';
import type {
  AgreementAcceptanceRecord,
  AgreementOffer,
  MpnMembership,
  PartnerAccount,
  PartnerAccountRequest,
  PartnerCenter,
  ProvisioningStatus,
  WorkAccount,
  WorkAccountRequest,
} from '../contracts';
import { type HttpClientOptions, JsonClient, segment } from '../http/json-client';

const WorkAccountBody = z.object({ tenantId: z.string().min(1), domain: z.string().min(1) });
const PartnerAccountBody = z.object({
  partnerAccountId: z.string().min(1),
  adminSignInName: z.string().min(1),
});
const MpnBody = z.object({ member: z.boolean(), joinUrl: z.string() });
const OfferBody = z.object({
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

const V1 = '/partner-center/v1';

export class HttpPartnerCenter implements PartnerCenter {
  private readonly http: JsonClient;

  constructor(options: HttpClientOptions) {
    this.http = new JsonClient('partner-center', options);
  }

  async createWorkAccount(request: WorkAccountRequest): Promise<WorkAccount> {
    const { idempotencyKey, ...body } = request;
    const { tenantId, domain } = await this.http.request({
      method: 'POST',
      path: `${V1}/work-accounts`,
      body,
      idempotencyKey,
      response: WorkAccountBody,
    });
    return { tenantId, domain };
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

  async getAgreementOffer(): Promise<AgreementOffer> {
    const { version, textDigest, url } = await this.http.request({
      method: 'GET',
      path: `${V1}/agreements/current`,
      response: OfferBody,
    });
    return { version, textDigest, url };
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
}

/** Keeps only contract fields, and no `reason: undefined` in workflow history. */
function provisioningStatus(body: z.infer<typeof ProvisioningBody>): ProvisioningStatus {
  const { provisioningId, state, reason } = body;
  return reason === undefined ? { provisioningId, state } : { provisioningId, state, reason };
}
