/** Request bodies the simulator accepts; a failure answers 400 naming the field. */
import { z } from 'zod';

const name = z.string().trim().min(1).max(200);

/** 统一社会信用代码: 18 characters from the official alphabet (no I, O, S, V, Z). */
const registrationNumber = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code');

export const CreditCheckBody = z.object({ companyName: name, registrationNumber });

export const WorkAccountBody = z.object({
  companyName: name,
  // One DNS label under partner.onmschina.cn.
  domainPrefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,38}[A-Za-z0-9]$/, 'must be 3-40 letters, digits or dashes')
    .transform((s) => s.toLowerCase()),
});

export const PartnerAccountBody = z.object({
  tenantId: z.string().min(1),
  companyName: name,
  globalAdmin: z.object({ firstName: name, lastName: name, email: z.email() }),
});

export const AgreementAcceptanceBody = z.object({
  partnerAccountId: z.string().min(1),
  acceptedBy: name,
  acceptedAt: z.iso.datetime({ offset: true }),
  version: z.string().min(1),
  textDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
});

export const ProvisioningBody = z.object({ partnerAccountId: z.string().min(1) });

export const VerificationBody = z.object({
  phone: z.string().regex(/^\+861[3-9]\d{9}$/, 'must be a +86 mobile number'),
  locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as zh-CN'),
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
