/**
 * What the enrollment needs from systems this project does not own. Activities depend on these
 * interfaces only; real HTTP clients and the simulator implement the same contracts.
 *
 * Every call that creates something carries an idempotency key (the enrollment attempt plus the
 * step), so a retried activity never creates twice and a new enrollment never reuses an old answer.
 * Business answers (a taken domain, an unknown one) are results, not errors.
 */
import type { CspApplication, Person } from '../domain/enrollment';
import type { GettingStartedTask } from '../domain/getting-started';
import type { PhoneChannel } from '../domain/phone';
import type { RiskBand } from '../domain/status';

export type { RiskBand };

/** A failure of an external call. `retryable` is false for answers that will not change on retry (4xx). */
export class ExternalServiceError extends Error {
  override readonly name = 'ExternalServiceError';
  constructor(
    message: string,
    readonly service: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** The service's machine-readable error code, e.g. "domain_taken". */
    readonly code?: string,
    /** How long the service asked callers to wait (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

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
  /** The organization's name on record for the registration number. */
  registeredName?: string;
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
  /** Who becomes the work account's global admin (optional for requests made before it was sent). */
  globalAdmin?: Person;
  /** The organization it is made for (its unified social credit code), so it can be recognized later. */
  registrationNumber?: string;
}

export type WorkAccountCreation =
  { outcome: 'created'; tenantId: string; domain: string } | { outcome: 'domain-taken' };

export interface WorkAccountCheck {
  /** A domain of the work account. */
  domain: string;
  /** The person the applicant names as its global admin. */
  globalAdminEmail: string;
  /** The organization enrolling (its unified social credit code): is the work account registered to it? */
  registrationNumber?: string;
}

export type WorkAccountVerification =
  | { outcome: 'unknown-domain' }
  | {
      outcome: 'found';
      tenantId: string;
      /** The work account's initial domain. */
      domain: string;
      /** Whether the named person holds the global admin role there. */
      globalAdmin: boolean;
      /**
       * Whether the work account is registered to the organization named in the check (absent when
       * none was named, or Partner Center does not know): a taken domain that is the organization's
       * own is its work account to sign in with, not someone else's.
       */
      sameOrganization?: boolean;
      /** The global admin's sign-in name, when confirmed. */
      adminSignInName?: string;
      /** The tenant's Partner Center account, when it has one already. */
      partnerAccount?: PartnerAccount;
    };

export interface PartnerAccountRequest {
  idempotencyKey: string;
  tenantId: string;
  companyName: string;
  globalAdmin: Person;
}

export interface PartnerAccount {
  partnerAccountId: string;
  /** Sign-in name of the global admin, e.g. admin@contoso.partner.onmschina.cn (never a password). */
  adminSignInName: string;
}

export interface PhoneCheckRequest {
  tenantId: string;
  companyName: string;
  registrationNumber: string;
  /** The organization's number in China. */
  phone: string;
}

export interface MpnMembership {
  member: boolean;
  /** Where a non-member joins the partner network. */
  joinUrl: string;
}

export interface CspApplicationSubmission {
  idempotencyKey: string;
  partnerAccountId: string;
  application: CspApplication;
}

export interface AgreementOffer {
  /** The agreement's name as Partner Center gives it ("21Vianet CSP reseller agreement"). */
  name?: string;
  version: string;
  /** Hex SHA-256 of the agreement text shown to the applicant. */
  textDigest: string;
  url: string;
}

export interface AgreementAcceptanceRecord {
  idempotencyKey: string;
  partnerAccountId: string;
  /** The global admin who signs; Partner Center refuses anyone else. */
  signer?: { name: string; email: string };
  /** The account that acted ("<role>:<id>"). */
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
  createWorkAccount(request: WorkAccountRequest): Promise<WorkAccountCreation>;
  /** Finds a work account by domain and says whether the named person is its global admin. */
  verifyWorkAccount(check: WorkAccountCheck): Promise<WorkAccountVerification>;
  /** Whether Partner Center asks this organization to verify its phone before creating its account. */
  phoneVerificationRequired(check: PhoneCheckRequest): Promise<{ required: boolean }>;
  createPartnerAccount(request: PartnerAccountRequest): Promise<PartnerAccount>;
  checkMpnMembership(mpnId: string): Promise<MpnMembership>;
  submitCspApplication(submission: CspApplicationSubmission): Promise<{ applicationReference: string }>;
  getAgreementOffer(): Promise<AgreementOffer>;
  recordAgreementAcceptance(record: AgreementAcceptanceRecord): Promise<{ acceptanceId: string }>;
  startProvisioning(request: {
    idempotencyKey: string;
    partnerAccountId: string;
  }): Promise<ProvisioningStatus>;
  getProvisioningStatus(provisioningId: string): Promise<ProvisioningStatus>;
  /** The guide's account-settings tasks, done or not, as Partner Center sees the account. */
  getAccountSettings(partnerAccountId: string): Promise<{ tasks: Record<GettingStartedTask, boolean> }>;
}

export interface SmsGateway {
  /**
   * Sends a verification code to a China number: by SMS to a mobile, by a voice call to a
   * landline. The gateway keeps the code and checks it.
   */
  startVerification(request: {
    idempotencyKey: string;
    phone: string;
    channel?: PhoneChannel;
    locale: string;
  }): Promise<{ verificationId: string }>;
  checkVerification(request: { verificationId: string; code: string }): Promise<{ valid: boolean }>;
}
