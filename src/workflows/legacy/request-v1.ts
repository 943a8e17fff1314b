/**
 * The start request as enrollments of ./enrollment-v1 carry it in their history (before the work
 * account was named as one of two ways and the phone became the organization's). Frozen.
 */
import { z } from 'zod';
import { ChinaMobile, Person, Policy, RegistrationNumber } from '../../domain/enrollment';
import { Locale } from '../../domain/notifications';

export const LegacyEnrollmentRequest = z.strictObject({
  organization: z.strictObject({
    name: z.string().trim().min(1).max(200),
    registrationNumber: RegistrationNumber,
    existingTenantDomain: z.string().trim().toLowerCase().optional(),
    domainPrefix: z.string().trim().toLowerCase(),
  }),
  globalAdmin: Person.extend({ mobile: ChinaMobile }),
  locale: Locale.default('zh-CN'),
  policy: Policy.prefault({}),
  owner: z.string().trim().min(1).max(128).optional(),
});
export type LegacyEnrollmentRequest = z.infer<typeof LegacyEnrollmentRequest>;
