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

/** Any China phone number (mobile, or landline with its area code), E.164. */
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
export type Person = z.infer<typeof Person>;

export const DomainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain name such as contoso.partner.onmschina.cn');

/** One DNS label under partner.onmschina.cn (contoso -> contoso.partner.onmschina.cn). */
export const DomainPrefix = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be 3-40 letters, digits or dashes');

/** Work accounts created through Partner Center get an initial domain under this one. */
export const TENANT_DOMAIN_SUFFIX = 'partner.onmschina.cn';
export const initialDomain = (domainPrefix: string) => `${domainPrefix}.${TENANT_DOMAIN_SUFFIX}`;

/**
 * The guide's step 2: sign in with the organization's existing work account, or create one. One of
 * the two, never both.
 */
export const WorkAccount = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('existing'),
    /** A domain of the organization's work account (Azure AD operated by 21Vianet). */
    domain: DomainName,
  }),
  z.strictObject({
    kind: z.literal('new'),
    /** The wanted prefix of the new work account's domain. */
    domainPrefix: DomainPrefix,
  }),
]);
export type WorkAccount = z.infer<typeof WorkAccount>;

export const Organization = z.strictObject({
  /** Legal name as registered. */
  name: text(200),
  registrationNumber: RegistrationNumber,
  /** The organization's phone number in China (mobile or landline), for Partner Center's phone check. */
  phone: ChinaPhone,
  workAccount: WorkAccount,
});

/** Durations as Temporal accepts them ("10 minutes", "3 days"); see durationMs. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|seconds?|m|minutes?|h|hours?|d|days?|w|weeks?)$/;
export const Duration = z.string().trim().regex(DURATION_PATTERN, 'must be a duration like "3 days"');

export const Policy = z.strictObject({
  phoneVerification: z
    .strictObject({
      /** When false, the enrollment never verifies the phone even if Partner Center asks (not the guide's way). */
      required: z.boolean().default(true),
      codeValidity: Duration.default('10 minutes'),
      maxAttemptsPerCode: z.number().int().min(1).max(10).default(5),
      maxCodes: z.number().int().min(1).max(10).default(5),
      /** New codes an applicant may ask for within an hour (SMS and voice calls cost, and annoy). */
      maxCodesPerHour: z.number().int().min(1).max(10).default(3),
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
      /** Past this the review is overdue: the program's operators are told, again every `overdueRepeatEvery`. */
      overdueAfter: Duration.default('21 days'),
      overdueRepeatEvery: Duration.default('7 days'),
      /** How often the applicant hears that the review goes on. */
      applicantUpdateEvery: Duration.default('14 days'),
      /** Only enrollments started before reviews stopped expiring read this (see workflows/legacy). */
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
  /** The guide's "Get started with Partner Center": followed, never blocking the account. */
  gettingStarted: z
    .strictObject({
      /** How often Partner Center's account settings are read. */
      pollEvery: Duration.default('6 hours'),
      reminderEvery: Duration.default('7 days'),
      /** The enrollment completes then, with what is left recorded. */
      deadline: Duration.default('30 days'),
    })
    .prefault({}),
  /**
   * Every audit entry goes to the durable audit log (src/integrations/audit); the status keeps the latest ones,
   * since it travels whole in every status answer and through continue-as-new.
   */
  audit: z
    .strictObject({
      keepLatest: z.number().int().min(50).max(5_000).default(500),
      /** Entries are written to the log once this many are due (one activity for them all)… */
      writeEvery: z.number().int().min(1).max(200).default(20),
      /** …or, when the flow next waits, once the oldest of them is this old; all before a run ends. */
      writeWithin: Duration.default('1 day'),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      /**
       * An enrollment that ends with emails undelivered (their retries ran out: the closing email,
       * say) stays open this long for an operator to send them again; then it closes as it is.
       */
      resendWindowAfterEnd: Duration.default('14 days'),
    })
    .prefault({}),
  /** A step that failed for good waits for an operator, who is reminded this often. */
  incidents: z
    .strictObject({
      remindEvery: Duration.default('1 day'),
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
  /** The person who holds (or will hold) the global admin role of the work account. */
  globalAdmin: Person,
  locale: Locale.default('zh-CN'),
  policy: Policy.prefault({}),
  /** The applicant account that started it; set by the API from the caller's token, never from a body. */
  owner: z.string().trim().min(1).max(128).optional(),
});
export type EnrollmentRequestInput = z.input<typeof EnrollmentRequest>;
export type EnrollmentRequest = z.infer<typeof EnrollmentRequest>;

/**
 * A request as a workflow finds it in its history: enrollments started before the guide's paths
 * named the work account (`organization.domainPrefix`, `existingTenantDomain`) and verified the
 * global admin's mobile. Read into today's shape; new requests pass through unchanged.
 */
export function storedRequest(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const request = raw as Record<string, unknown>;
  const organization = request.organization as Record<string, unknown> | undefined;
  const admin = request.globalAdmin as Record<string, unknown> | undefined;
  if (!organization || !admin || 'workAccount' in organization) return raw;
  const { existingTenantDomain, domainPrefix, ...rest } = organization;
  const { mobile, ...person } = admin;
  return {
    ...request,
    organization: {
      ...rest,
      phone: rest.phone ?? mobile,
      workAccount: existingTenantDomain
        ? { kind: 'existing', domain: existingTenantDomain }
        : { kind: 'new', domainPrefix },
    },
    globalAdmin: person,
  };
}

export const Address = z.strictObject({
  province: text(64),
  city: text(64),
  street: text(200),
  postalCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit postal code'),
});

export const Contact = Person.extend({ phone: ChinaPhone });

/** Microsoft Partner Network ID (PartnerID). */
export const MpnId = z.string().regex(/^\d{6,10}$/, 'must be a 6-10 digit MPN ID');

/** The CSP application proper (the guide's step 5). */
export const CspApplication = z.strictObject({
  mpnId: MpnId,
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
  const match = DURATION_PATTERN.exec(duration.trim());
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
