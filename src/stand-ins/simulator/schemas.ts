/** Request bodies the simulator accepts; a failure answers 400 naming the field. */
import { z } from 'zod';

const name = z.string().trim().min(1).max(200);

/** 统一社会信用代码: 18 characters from the official alphabet (no I, O, S, V, Z). */
const registrationNumber = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code');

export const CreditCheckBody = z.object({ companyName: name, registrationNumber });

const person = z.object({ firstName: name, lastName: name, email: z.email() });

export const WorkAccountBody = z.object({
  companyName: name,
  // One DNS label under partner.onmschina.cn.
  domainPrefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,38}[A-Za-z0-9]$/, 'must be 3-40 letters, digits or dashes')
    .transform((s) => s.toLowerCase()),
  /** Who becomes the work account's global admin; absent, an "admin@" account is made. */
  globalAdmin: person.optional(),
  /** The organization it is made for; absent, it is known by its company name only. */
  registrationNumber: registrationNumber.optional(),
});

export const WorkAccountVerificationBody = z.object({
  domain: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'must be a domain name')
    .transform((s) => s.toLowerCase()),
  globalAdmin: z.object({ email: z.email() }),
  /** The organization enrolling: the answer says whether the work account is registered to it. */
  organization: z.object({ registrationNumber }).optional(),
});

export const PhoneCheckBody = z.object({
  tenantId: z.string().min(1),
  companyName: name,
  registrationNumber,
  phone: z.string().regex(/^\+86\d{7,12}$/, 'must be a China phone number (+86)'),
});

export const PartnerAccountBody = z.object({
  tenantId: z.string().min(1),
  companyName: name,
  globalAdmin: person,
});

const phone = z.string().regex(/^\+86\d{7,12}$/, 'must be a China phone number (+86)');

export const CspApplicationBody = z.object({
  partnerAccountId: z.string().min(1),
  mpnId: z.string().regex(/^\d{6,10}$/, 'must be 6-10 digits'),
  businessProfile: z.object({
    legalName: name,
    legalRepresentative: name,
    address: z.object({ province: name, city: name, street: name, postalCode: z.string().regex(/^\d{6}$/) }),
  }),
  approvalContacts: z.array(person.extend({ phone })).min(1).max(3),
  customerSupport: z.object({ url: z.url(), email: z.email(), phone }),
});

export const AgreementAcceptanceBody = z.object({
  partnerAccountId: z.string().min(1),
  /** The global admin who signs; required by this Partner Center (older callers named only the account). */
  signer: z.object({ name, email: z.email() }).optional(),
  acceptedBy: name,
  acceptedAt: z.iso.datetime({ offset: true }),
  version: z.string().min(1),
  textDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
});

/** POST /__simulator/partner-accounts/{id}/account-settings: a person completes (or undoes) a task. */
export const AccountSettingsTaskBody = z.object({
  task: z.enum(['verify-profiles', 'create-user-accounts', 'customize-catalog']),
  done: z.boolean().default(true),
});

export const ProvisioningBody = z.object({ partnerAccountId: z.string().min(1) });

export const VerificationBody = z
  .object({
    phone,
    /** SMS reaches mobiles only; a voice call reaches any number. */
    channel: z.enum(['sms', 'voice']).default('sms'),
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as zh-CN'),
  })
  .refine((body) => body.channel === 'voice' || /^\+861[3-9]\d{9}$/.test(body.phone), {
    message: 'SMS needs a mainland mobile number (+86 1xx); use channel "voice" for a landline',
    path: ['phone'],
  });

export const VerificationCheckBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be six digits') });

export const MpnId = z.string().regex(/^\d{6,10}$/, 'must be 6-10 digits');

const isoTime = z.iso.datetime({ offset: true });

/** POST /__simulator/faults; omitted fields keep their value. */
export const FaultsBody = z.object({
  errorRate: z.number().min(0).max(1).optional(),
  timeoutRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  /** How long a "timeout" fault holds the answer before dropping the connection. */
  hangMs: z.number().int().min(0).max(600_000).optional(),
  /** Every call answers 503 until this time; null ends an outage. */
  outageUntil: isoTime.nullable().optional(),
  /** Shorthand: an outage from now for this long. */
  outageForMs: z.number().int().min(0).optional(),
  /** Limit faults to some services; empty or absent means all. */
  services: z.array(z.enum(['credit-bureau', 'partner-center', 'sms'])).optional(),
  /** Restarts the fault random sequence, so a run can be repeated. */
  seed: z.number().int().optional(),
});
export type FaultsBody = z.infer<typeof FaultsBody>;

/** "companyName: Too small ..." — the field first, values never (they may be personal data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}
