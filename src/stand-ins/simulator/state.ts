/**
 * The simulated services' memory and business answers. Input arrives validated; outcomes follow
 * rules.ts. Nothing here knows about HTTP beyond the status an answer carries.
 */
import type { z } from 'zod';
import type { AgreementOffer, CreditReport, ProvisioningStatus } from '../../integrations/contracts';
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
  name?: string;
  version: string;
  url: string;
  text: string;
}

interface TenantRecord {
  tenantId: string;
  domain: string;
  companyName: string;
  /** The organization it is registered to, when its creator named it. */
  registrationNumber?: string;
  /** `named: false`: made for a caller that did not name its global admin (older clients). */
  globalAdmins: { email: string; signInName: string; name?: string; named?: false }[];
  /** Created through the work-account route (an enrollment), not there before. */
  createdByEnrollment: boolean;
  partnerAccountId?: string;
}

interface PartnerAccountRecord {
  partnerAccountId: string;
  tenantId: string;
  companyName: string;
  adminSignInName: string;
  provisioningAttempts: number;
  /** Getting-started tasks done in the account settings. */
  tasks: Set<string>;
  ready: boolean;
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
  channel: 'sms' | 'voice';
  locale: string;
  code: string;
  checks: number;
  verified: boolean;
  sentAt: string;
}

const GETTING_STARTED_TASKS = ['verify-profiles', 'create-user-accounts', 'customize-catalog'] as const;
const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class SimulatorState {
  private tenants = new Map<string, TenantRecord>();
  private partners = new Map<string, PartnerAccountRecord>();
  private applications = new Map<string, { partnerAccountId: string; mpnId: string }>();
  private acceptances = new Map<string, { partnerAccountId: string; version: string }>();
  private provisionings = new Map<string, ProvisioningRecord>();
  private verifications = new Map<string, VerificationRecord>();

  constructor(
    private readonly options: {
      provisioningMs: number;
      agreement: AgreementText;
      tasksDoneWhenReady?: boolean;
      now: () => number;
    },
  ) {
    this.seed();
  }

  clear(): void {
    this.tenants.clear();
    this.partners.clear();
    this.applications.clear();
    this.acceptances.clear();
    this.provisionings.clear();
    this.verifications.clear();
    this.seed();
  }

  /** The work accounts that exist before any enrollment (rules.PRE_EXISTING_TENANTS). */
  private seed(): void {
    for (const tenant of rules.PRE_EXISTING_TENANTS) {
      const tenantId = rules.stableGuid('pre-existing-tenant', tenant.domain);
      const record: TenantRecord = {
        tenantId,
        domain: tenant.domain,
        companyName: tenant.companyName,
        registrationNumber: tenant.registrationNumber,
        globalAdmins: tenant.globalAdmins.map((admin) => ({ ...admin })),
        createdByEnrollment: false,
      };
      this.tenants.set(tenantId, record);
      if ('partnerAccount' in tenant && tenant.partnerAccount) {
        const partnerAccountId = rules.stableGuid('pre-existing-partner', tenant.domain);
        record.partnerAccountId = partnerAccountId;
        this.partners.set(partnerAccountId, {
          partnerAccountId,
          tenantId,
          companyName: tenant.companyName,
          adminSignInName: tenant.globalAdmins[0].signInName,
          provisioningAttempts: 0,
          tasks: new Set(GETTING_STARTED_TASKS),
          ready: true,
        });
      }
    }
  }

  checkSolvency(key: string, body: z.infer<typeof schemas.CreditCheckBody>): Answer {
    const report: CreditReport = {
      ...rules.creditOutcome(body.companyName, body.registrationNumber),
      reportReference: rules.stableId('cr', key).toUpperCase(),
    };
    return { status: 201, body: report };
  }

  createWorkAccount(key: string, body: z.infer<typeof schemas.WorkAccountBody>): Answer {
    const domain = `${body.domainPrefix}.${rules.TENANT_DOMAIN_SUFFIX}`;
    if (rules.isDomainTaken(body.domainPrefix) || this.tenantByDomain(domain)) {
      throw new SimError(409, 'domain_taken', `domainPrefix: "${body.domainPrefix}" is already registered`);
    }
    const tenantId = rules.stableGuid('tenant', key);
    const admin = body.globalAdmin;
    this.tenants.set(tenantId, {
      tenantId,
      domain,
      companyName: body.companyName,
      ...(body.registrationNumber ? { registrationNumber: body.registrationNumber } : {}),
      globalAdmins: [
        admin
          ? {
              email: admin.email,
              signInName: `admin@${domain}`,
              name: `${admin.firstName} ${admin.lastName}`,
            }
          : { email: `admin@${domain}`, signInName: `admin@${domain}`, named: false },
      ],
      createdByEnrollment: true,
    });
    return { status: 201, body: { tenantId, domain } };
  }

  /** Finds a work account by domain; says whether the person is its global admin (never who is). */
  verifyWorkAccount(body: z.infer<typeof schemas.WorkAccountVerificationBody>): Answer {
    const tenant = this.tenantByDomain(body.domain);
    if (!tenant) throw new SimError(404, 'tenant_not_found', 'domain: no work account has this domain');
    const admin = tenant.globalAdmins.find((candidate) => sameEmail(candidate.email, body.globalAdmin.email));
    const partner = tenant.partnerAccountId ? this.partners.get(tenant.partnerAccountId) : undefined;
    return {
      status: 200,
      body: {
        tenantId: tenant.tenantId,
        domain: tenant.domain,
        globalAdmin: admin ? { confirmed: true, signInName: admin.signInName } : { confirmed: false },
        // Whether it is the enrolling organization's own, when the caller named the organization.
        ...(body.organization && tenant.registrationNumber
          ? {
              organization: {
                registered: tenant.registrationNumber === body.organization.registrationNumber,
              },
            }
          : {}),
        // Only to its global admin does Partner Center say the organization is a partner already.
        ...(admin && partner
          ? {
              partnerAccount: {
                partnerAccountId: partner.partnerAccountId,
                adminSignInName: partner.adminSignInName,
              },
            }
          : {}),
      },
    };
  }

  phoneVerificationCheck(body: z.infer<typeof schemas.PhoneCheckBody>): Answer {
    const tenant = this.tenant(body.tenantId);
    const required = rules.phoneVerificationRequired(tenant.createdByEnrollment, body.companyName);
    return { status: 200, body: { phoneVerification: required ? 'required' : 'not-required' } };
  }

  createPartnerAccount(key: string, body: z.infer<typeof schemas.PartnerAccountBody>): Answer {
    const tenant = this.tenant(body.tenantId);
    if (tenant.partnerAccountId)
      throw new SimError(
        409,
        'partner_account_exists',
        'tenantId: this work account has a partner account already',
      );
    const unnamed = tenant.globalAdmins.find((candidate) => candidate.named === false);
    // A work account made without naming its admin takes the one its partner account names.
    if (unnamed) Object.assign(unnamed, { email: body.globalAdmin.email, named: undefined });
    const admin = tenant.globalAdmins.find((candidate) => sameEmail(candidate.email, body.globalAdmin.email));
    if (!admin)
      throw new SimError(422, 'not_global_admin', 'globalAdmin: not a global admin of this work account');
    const partnerAccountId = rules.stableGuid('partner', key);
    tenant.partnerAccountId = partnerAccountId;
    this.partners.set(partnerAccountId, {
      partnerAccountId,
      tenantId: tenant.tenantId,
      companyName: body.companyName,
      adminSignInName: admin.signInName,
      provisioningAttempts: 0,
      tasks: new Set(),
      ready: false,
    });
    return { status: 201, body: { partnerAccountId, adminSignInName: admin.signInName } };
  }

  checkMpnMembership(mpnId: string): Answer {
    return { status: 200, body: rules.mpnMembership(mpnId) };
  }

  submitCspApplication(key: string, body: z.infer<typeof schemas.CspApplicationBody>): Answer {
    this.partner(body.partnerAccountId);
    const applicationReference = rules.stableId('app', key).toUpperCase();
    this.applications.set(applicationReference, {
      partnerAccountId: body.partnerAccountId,
      mpnId: body.mpnId,
    });
    return { status: 201, body: { applicationReference } };
  }

  getAgreementOffer(): Answer {
    const { name, version, url, text } = this.options.agreement;
    const offer: AgreementOffer = { ...(name ? { name } : {}), version, url, textDigest: rules.digest(text) };
    return { status: 200, body: offer };
  }

  recordAgreementAcceptance(key: string, body: z.infer<typeof schemas.AgreementAcceptanceBody>): Answer {
    const partner = this.partner(body.partnerAccountId);
    const offer = this.getAgreementOffer().body as AgreementOffer;
    // Acceptance of another text than the one offered is no acceptance at all.
    if (body.version !== offer.version || body.textDigest !== offer.textDigest) {
      throw new SimError(422, 'agreement_mismatch', 'version/textDigest: not the current agreement');
    }
    if (body.signer) {
      const tenant = this.tenant(partner.tenantId);
      if (!tenant.globalAdmins.some((admin) => sameEmail(admin.email, body.signer!.email)))
        throw new SimError(
          422,
          'signer_not_global_admin',
          'signer: only a global admin of the account signs',
        );
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

  /** The getting-started tasks as the account settings show them. */
  getAccountSettings(partnerAccountId: string): Answer {
    const partner = this.partner(partnerAccountId);
    const quick =
      partner.ready && (this.options.tasksDoneWhenReady || rules.tasksDoneAtOnce(partner.companyName));
    return {
      status: 200,
      body: {
        tasks: GETTING_STARTED_TASKS.map((task) => ({ task, done: quick || partner.tasks.has(task) })),
      },
    };
  }

  /** For /__simulator: a person does (or undoes) a getting-started task in Partner Center. */
  setAccountSettingsTask(
    partnerAccountId: string,
    body: z.infer<typeof schemas.AccountSettingsTaskBody>,
  ): Answer {
    const partner = this.partner(partnerAccountId);
    if (body.done) partner.tasks.add(body.task);
    else partner.tasks.delete(body.task);
    return this.getAccountSettings(partnerAccountId);
  }

  startVerification(key: string, body: z.infer<typeof schemas.VerificationBody>): Answer {
    const verificationId = rules.stableId('ver', key);
    this.verifications.set(verificationId, {
      verificationId,
      phone: body.phone,
      channel: body.channel,
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

  /** The SMS and voice outbox, oldest first: what a person would read or hear (the dev setup's stand-in). */
  sentCodes(phone?: string): VerificationRecord[] {
    return [...this.verifications.values()].filter((record) => !phone || record.phone === phone);
  }

  private tenantByDomain(domain: string): TenantRecord | undefined {
    return [...this.tenants.values()].find((tenant) => tenant.domain === domain.toLowerCase());
  }

  private tenant(tenantId: string): TenantRecord {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) throw new SimError(404, 'tenant_not_found', 'tenantId: no such work account');
    return tenant;
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
    if (state === 'ready') this.partners.get(record.partnerAccountId)!.ready = true;
    return state === 'failed'
      ? { provisioningId, state, reason: rules.PROVISIONING_FAILURE_REASON }
      : { provisioningId, state };
  }
}
