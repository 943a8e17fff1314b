/**
 * What people do to a running enrollment, as zod schemas. The same payloads travel as signals
 * (fire and forget, for reviewers' tools) and as updates (validated before they are accepted, so
 * an API caller learns at once that an action was refused).
 */
import { z } from 'zod';
import { CspApplication } from './enrollment';

export const ROLES = ['applicant', 'reviewer', 'review-lead', 'operator'] as const;

/** Who acts. The API fills this from the caller's token, never from the request body. */
export const Actor = z.strictObject({
  id: z.string().trim().min(1).max(128),
  role: z.enum(ROLES),
});
export type Actor = z.infer<typeof Actor>;

const reason = z.string().trim().min(1, 'a reason is required').max(2000);

export const SubmitPhoneCode = z.strictObject({
  actor: Actor,
  code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the SMS'),
});

export const RequestPhoneCode = z.strictObject({ actor: Actor });

export const SubmitApplication = z.strictObject({ actor: Actor, application: CspApplication });

export const AnswerInformationRequest = z.strictObject({
  actor: Actor,
  answer: z.string().trim().min(1, 'an answer is required').max(10_000),
});

export const DecideReview = z.discriminatedUnion('decision', [
  z.strictObject({ actor: Actor, decision: z.literal('approve'), comment: z.string().max(2000).optional() }),
  z.strictObject({ actor: Actor, decision: z.literal('reject'), reason }),
  z.strictObject({ actor: Actor, decision: z.literal('request-information'), reason }),
]);

export const AcceptAgreement = z.strictObject({
  actor: Actor,
  agreementVersion: z.string().trim().min(1).max(64),
  /** Hex SHA-256 of the agreement text the applicant was shown. */
  textDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256 digest'),
});

export const Withdraw = z.strictObject({ actor: Actor, reason: reason.optional() });

/** Review assignment, as a task list offers it: claim, release, and (review leads) reassign. */
export const ClaimReview = z.strictObject({ actor: Actor });
export const ReleaseReview = z.strictObject({ actor: Actor });
export const ReassignReview = z.strictObject({
  actor: Actor,
  to: z.strictObject({ id: z.string().trim().min(1).max(128), role: z.enum(['reviewer', 'review-lead']) }),
});

export type SubmitPhoneCode = z.infer<typeof SubmitPhoneCode>;
export type RequestPhoneCode = z.infer<typeof RequestPhoneCode>;
export type SubmitApplication = z.infer<typeof SubmitApplication>;
export type AnswerInformationRequest = z.infer<typeof AnswerInformationRequest>;
export type DecideReview = z.infer<typeof DecideReview>;
export type AcceptAgreement = z.infer<typeof AcceptAgreement>;
export type Withdraw = z.infer<typeof Withdraw>;
export type ClaimReview = z.infer<typeof ClaimReview>;
export type ReleaseReview = z.infer<typeof ReleaseReview>;
export type ReassignReview = z.infer<typeof ReassignReview>;

/** A readable one-line message naming each failing field, for refusals and HTTP 400s. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
