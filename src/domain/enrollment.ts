/**
 * The enrollment request, the CSP application and the program policy, as zod schemas. These run
 * at every entry (API, client, workflow start, signals and updates), so a bad field is named
 * early and nothing half-valid reaches the workflow.
 */
import { z } from 'zod';
import { Locale } from './notifications';

const text = (max: number) => z.string().trim().min(1, 'is required').max(max);

/** Mainland China mobile number in E.164 (+86 1xx xxxx xxxx); spaces and dashes are dropped. */
export const ChinaMobile = z
  .string()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(
    z.string().regex(/^\+861[3-9]\d{9}$/, 'must be a mainland China mobile number such as +86 139 1234 5678'),
  );

/** Any China phone number (mobile or landline with area code), E.164. */
export const ChinaPhone = z
  .string()
  .transform((value) => value.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^\+86\d{7,12}$/, 'must be a China phone number starting with +86'));

/** Unified social credit code (统一社会信用代码): 18 characters, letters I, O, Z, S, V excluded. */
export const RegistrationNumber = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code'));

export const Email = z.string().trim().max(254).pipe(z.email('must be an email address'));

export const Person = z.strictObject({
  firstName: text(64),
  lastName: text(64),
  email: Email,
});

export const Organization = z.strictObject({
  /** Legal name as registered. */
  name: text(200),
  registrationNumber: RegistrationNumber,
  /** The organization's existing work account domain; absent when one must be created. */
  existingTenantDomain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain name')
    .optional(),
  /** Wanted prefix for a new work account domain (contoso -> contoso.partner.onmschina.cn). */
  domainPrefix: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be 3-40 letters, digits or dashes'),
});

/** Durations as Temporal accepts them ("10 minutes", "3 days"); see durationMs. */
const Duration = z
  .string()
  .regex(
    /^\d+(\.\d+)?\s*(ms|s|seconds?|m|minutes?|h|hours?|d|days?|w|weeks?)$/,
    'must be a duration like "3 days"',
  );

export const Policy = z.strictObject({
  phoneVerification: z
    .strictObject({
      required: z.boolean().default(true),
      codeValidity: Duration.default('10 minutes'),
      maxAttemptsPerCode: z.number().int().min(1).max(10).default(5),
      maxCodes: z.number().int().min(1).max(10).default(5),
    })
    .prefault({}),
  application: z
    .strictObject({
      due: Duration.default('30 days'),
      reminderEvery: Duration.default('7 days'),
    })
    .prefault({}),
  review: z
    .strictObject({
      reminderEvery: Duration.default('3 days'),
      escalateAfter: Duration.default('14 days'),
      expireAfter: Duration.default('8 weeks'),
      informationDue: Duration.default('30 days'),
    })
    .prefault({}),
  agreement: z
    .strictObject({
      reminderEvery: Duration.default('7 days'),
      lapseAfter: Duration.default('30 days'),
    })
    .prefault({}),
  provisioning: z
    .strictObject({
      timeout: Duration.default('24 hours'),
      pollEvery: Duration.default('1 minute'),
      /** How soon a worker lost while following provisioning is noticed (and another takes over). */
      heartbeatTimeout: Duration.default('2 minutes'),
      maxAttempts: z.number().int().min(1).max(5).default(3),
    })
    .prefault({}),
  /** Keeps each run's history small: continue as new past this many events (or when Temporal suggests it). */
  history: z
    .strictObject({
      continueAsNewAfterEvents: z.number().int().min(40).max(40_000).default(2_000),
    })
    .prefault({}),
});
export type Policy = z.infer<typeof Policy>;

/** What an applicant sends to start: the organization and its first user, the global admin. */
export const EnrollmentRequest = z.strictObject({
  organization: Organization,
  globalAdmin: Person.extend({ mobile: ChinaMobile }),
  locale: Locale.default('zh-CN'),
  policy: Policy.prefault({}),
  /** The applicant account that started it; set by the API from the caller's token, never from a body. */
  owner: z.string().trim().min(1).max(128).optional(),
});
export type EnrollmentRequestInput = z.input<typeof EnrollmentRequest>;
export type EnrollmentRequest = z.infer<typeof EnrollmentRequest>;

export const Address = z.strictObject({
  province: text(64),
  city: text(64),
  street: text(200),
  postalCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit postal code'),
});

export const Contact = Person.extend({ phone: ChinaPhone });

/** The CSP application proper. */
export const CspApplication = z.strictObject({
  /** Microsoft Partner Network ID (PartnerID). */
  mpnId: z.string().regex(/^\d{6,10}$/, 'must be a 6-10 digit MPN ID'),
  businessProfile: z.strictObject({
    legalName: text(200),
    legalRepresentative: text(128),
    address: Address,
  }),
  approvalContacts: z.array(Contact).min(1, 'needs at least one contact').max(3),
  customerSupport: z.strictObject({
    url: z.string().pipe(z.url({ protocol: /^https$/, error: 'must be an https URL' })),
    email: Email,
    phone: ChinaPhone,
  }),
});
export type CspApplication = z.infer<typeof CspApplication>;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

/** Milliseconds in a policy duration (already validated by the Duration schema). */
export function durationMs(duration: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(duration.trim());
  if (!match) throw new Error(`not a duration: ${duration}`);
  const unit = match[2] === 'ms' ? 'ms' : match[2][0];
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/**
 * The workflow ID of an organization's enrollment. Derived from its registration number so a
 * second enrollment of the same organization while one runs is refused by Temporal itself.
 */
export function enrollmentIdFor(registrationNumber: string): string {
  return `enrollment-${RegistrationNumber.parse(registrationNumber)}`;
}
