/**
 * The simulated services' memory and business answers. Input arrives validated; outcomes follow
 * rules.ts. Nothing here knows about HTTP beyond the status an answer carries.
 */
import type { z } from 'zod';
import type { AgreementOffer, CreditReport, ProvisioningStatus } from '../contracts';
import * as rules from './rules';
import type * as schemas from './schemas';

export interface Answer {
  status: number;
  body: unknown;
}

/** A business refusal (404, 409, 422): not retryable, nothing created. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AgreementText {
  version: string;
  url: string;
  text: string;
}

interface PartnerAccountRecord {
  partnerAccountId: string;
  tenantId: string;
  companyName: string;
  adminSignInName: string;
  provisioningAttempts: number;
}

interface ProvisioningRecord {
  provisioningId: string;
  partnerAccountId: string;
  startedAt: number;
  fails: boolean;
}

export interface VerificationRecord {
  verificationId: string;
  phone: string;
  locale: string;
  code: string;
  checks: number;
  verified: boolean;
  sentAt: string;
}

export class SimulatorState {
  private tenants = new Map<string, { tenantId: string; domain: string; companyName: string }>();
  private partners = new Map<string, PartnerAccountRecord>();
  private acceptances = new Map<string, { partnerAccountId: string; version: string }>();
  private provisionings = new Map<string, ProvisioningRecord>();
  private verifications = new Map<string, VerificationRecord>();

  constructor(
    private readonly options: { provisioningMs: number; agreement: AgreementText; now: () => number },
  ) {}

  clear(): void {
    this.tenants.clear();
    this.partners.clear();
    this.acceptances.clear();
    this.provisionings.clear();
    this.verifications.clear();
  }

  checkSolvency(key: string, body: z.infer<typeof schemas.CreditCheckBody>): Answer {
    const report: CreditReport = {
      ...rules.creditOutcome(body.companyName, body.registrationNumber),
      reportReference: rules.stableId('cr', key).toUpperCase(),
    };
    return { status: 201, body: report };
  }

  createWorkAccount(key: string, body: z.infer<typeof schemas.WorkAccountBody>): Answer {
    if (rules.isDomainTaken(body.domainPrefix)) {
      throw new SimError(409, 'domain_taken', `domainPrefix: "${body.domainPrefix}" is already registered`);
    }
    const tenantId = rules.stableGuid('tenant', key);
    const domain = `${body.domainPrefix}.${rules.TENANT_DOMAIN_SUFFIX}`;
    this.tenants.set(tenantId, { tenantId, domain, companyName: body.companyName });
    return { status: 201, body: { tenantId, domain } };
  }

  createPartnerAccount(key: string, body: z.infer<typeof schemas.PartnerAccountBody>): Answer {
    const tenant = this.tenants.get(body.tenantId);
    if (!tenant) throw new SimError(404, 'tenant_not_found', 'tenantId: no such work account');
    const partnerAccountId = rules.stableGuid('partner', key);
    const adminSignInName = `admin@${tenant.domain}`;
    this.partners.set(partnerAccountId, {
      partnerAccountId,
      tenantId: tenant.tenantId,
      companyName: body.companyName,
      adminSignInName,
      provisioningAttempts: 0,
    });
    return { status: 201, body: { partnerAccountId, adminSignInName } };
  }

  checkMpnMembership(mpnId: string): Answer {
    return { status: 200, body: rules.mpnMembership(mpnId) };
  }

  getAgreementOffer(): Answer {
    const { version, url, text } = this.options.agreement;
    const offer: AgreementOffer = { version, url, textDigest: rules.digest(text) };
    return { status: 200, body: offer };
  }

  recordAgreementAcceptance(key: string, body: z.infer<typeof schemas.AgreementAcceptanceBody>): Answer {
    this.partner(body.partnerAccountId);
    const offer = this.getAgreementOffer().body as AgreementOffer;
    // Acceptance of another text than the one offered is no acceptance at all.
    if (body.version !== offer.version || body.textDigest !== offer.textDigest) {
      throw new SimError(422, 'agreement_mismatch', 'version/textDigest: not the current agreement');
    }
    const acceptanceId = rules.stableId('acc', key);
    this.acceptances.set(acceptanceId, { partnerAccountId: body.partnerAccountId, version: body.version });
    return { status: 201, body: { acceptanceId } };
  }

  startProvisioning(key: string, body: z.infer<typeof schemas.ProvisioningBody>): Answer {
    const partner = this.partner(body.partnerAccountId);
    partner.provisioningAttempts += 1;
    const provisioningId = rules.stableId('prov', key);
    this.provisionings.set(provisioningId, {
      provisioningId,
      partnerAccountId: partner.partnerAccountId,
      startedAt: this.options.now(),
      fails: rules.provisioningFails(partner.companyName, partner.provisioningAttempts),
    });
    return { status: 202, body: this.provisioningStatus(provisioningId) };
  }

  getProvisioningStatus(provisioningId: string): Answer {
    return { status: 200, body: this.provisioningStatus(provisioningId) };
  }

  startVerification(key: string, body: z.infer<typeof schemas.VerificationBody>): Answer {
    const verificationId = rules.stableId('ver', key);
    this.verifications.set(verificationId, {
      verificationId,
      phone: body.phone,
      locale: body.locale,
      code: rules.verificationCode(verificationId),
      checks: 0,
      verified: false,
      sentAt: new Date(this.options.now()).toISOString(),
    });
    return { status: 201, body: { verificationId } };
  }

  checkVerification(verificationId: string, body: z.infer<typeof schemas.VerificationCheckBody>): Answer {
    const record = this.verification(verificationId);
    record.checks += 1;
    // "000000" is never valid, whatever a code might be, so tests have a sure wrong answer.
    const valid = body.code !== '000000' && body.code === record.code;
    if (valid) record.verified = true;
    return { status: 200, body: { valid } };
  }

  /** For /__simulator/verifications/{id}: lets a test play the applicant reading the SMS. */
  verification(verificationId: string): VerificationRecord {
    const record = this.verifications.get(verificationId);
    if (!record) throw new SimError(404, 'verification_not_found', 'verificationId: no such verification');
    return record;
  }

  /** The SMS outbox, oldest first: what a person would read on the phone (the dev setup's stand-in). */
  sentCodes(phone?: string): VerificationRecord[] {
    return [...this.verifications.values()].filter((record) => !phone || record.phone === phone);
  }

  private partner(partnerAccountId: string): PartnerAccountRecord {
    const partner = this.partners.get(partnerAccountId);
    if (!partner) throw new SimError(404, 'partner_not_found', 'partnerAccountId: no such partner account');
    return partner;
  }

  private provisioningStatus(provisioningId: string): ProvisioningStatus {
    const record = this.provisionings.get(provisioningId);
    if (!record) throw new SimError(404, 'provisioning_not_found', 'provisioningId: no such provisioning');
    const elapsed = this.options.now() - record.startedAt;
    const state = rules.provisioningState(elapsed, this.options.provisioningMs, record.fails);
    return state === 'failed'
      ? { provisioningId, state, reason: rules.PROVISIONING_FAILURE_REASON }
      : { provisioningId, state };
  }
}
