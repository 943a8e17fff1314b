/**
 * What the enrollment needs from systems this project does not own. Activities depend on these
 * interfaces only; real HTTP clients and the simulator implement the same contracts.
 *
 * Every call that creates something carries an idempotency key (workflow ID plus step), so a
 * retried activity never creates twice.
 */

/** A failure of an external call. `retryable` is false for answers that will not change on retry (4xx). */
export class ExternalServiceError extends Error {
  override readonly name = 'ExternalServiceError';
  constructor(
    message: string,
    readonly service: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type RiskBand = 'low' | 'medium' | 'high';

export interface CreditCheckRequest {
  idempotencyKey: string;
  companyName: string;
  /** The organization's unified social credit code (统一社会信用代码). */
  registrationNumber: string;
}

export interface CreditReport {
  decision: 'approved' | 'declined';
  score: number;
  riskBand: RiskBand;
  reportReference: string;
  /** Why the bureau declined, when it did. */
  reason?: string;
}

export interface CreditBureau {
  checkSolvency(request: CreditCheckRequest): Promise<CreditReport>;
}

export interface WorkAccountRequest {
  idempotencyKey: string;
  companyName: string;
  /** Wanted prefix of the tenant domain, e.g. "contoso" for contoso.partner.onmschina.cn */
  domainPrefix: string;
}

export interface WorkAccount {
  tenantId: string;
  domain: string;
}

export interface PartnerAccountRequest {
  idempotencyKey: string;
  tenantId: string;
  companyName: string;
  globalAdmin: { firstName: string; lastName: string; email: string };
}

export interface PartnerAccount {
  partnerAccountId: string;
  /** Sign-in name of the global admin, e.g. admin@contoso.partner.onmschina.cn (never a password). */
  adminSignInName: string;
}

export interface MpnMembership {
  member: boolean;
  /** Where a non-member joins the partner network. */
  joinUrl: string;
}

export interface AgreementOffer {
  version: string;
  /** Hex SHA-256 of the agreement text shown to the applicant. */
  textDigest: string;
  url: string;
}

export interface AgreementAcceptanceRecord {
  idempotencyKey: string;
  partnerAccountId: string;
  acceptedBy: string;
  acceptedAt: string;
  version: string;
  textDigest: string;
}

export type ProvisioningState = 'pending' | 'in-progress' | 'ready' | 'failed';

export interface ProvisioningStatus {
  provisioningId: string;
  state: ProvisioningState;
  /** Why provisioning failed, when it did. */
  reason?: string;
}

export interface PartnerCenter {
  createWorkAccount(request: WorkAccountRequest): Promise<WorkAccount>;
  createPartnerAccount(request: PartnerAccountRequest): Promise<PartnerAccount>;
  checkMpnMembership(mpnId: string): Promise<MpnMembership>;
  getAgreementOffer(): Promise<AgreementOffer>;
  recordAgreementAcceptance(record: AgreementAcceptanceRecord): Promise<{ acceptanceId: string }>;
  startProvisioning(request: {
    idempotencyKey: string;
    partnerAccountId: string;
  }): Promise<ProvisioningStatus>;
  getProvisioningStatus(provisioningId: string): Promise<ProvisioningStatus>;
}

export interface SmsGateway {
  /** Sends a verification code to a +86 mobile number; the gateway keeps the code and checks it. */
  startVerification(request: {
    idempotencyKey: string;
    phone: string;
    locale: string;
  }): Promise<{ verificationId: string }>;
  checkVerification(request: { verificationId: string; code: string }): Promise<{ valid: boolean }>;
}
