/**
 * What people do to a running enrollment, as zod schemas. The same payloads travel as signals
 * (fire and forget, for reviewers' tools) and as updates (validated before they are accepted, so
 * an API caller learns at once that an action was refused).
 */
import { z } from 'zod';
import { ATTACH_TO, DocumentRef } from './documents';
import { CspApplication, Email, Person, WorkAccount } from './enrollment';

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
  z.strictObject({
    actor: Actor,
    decision: z.literal('approve'),
    comment: z.string().max(2000).optional(),
    /** Comments are internal unless the reviewer shares them with the applicant. */
    shareCommentWithApplicant: z.boolean().optional(),
  }),
  z.strictObject({ actor: Actor, decision: z.literal('reject'), reason }),
  z.strictObject({
    actor: Actor,
    decision: z.literal('request-information'),
    reason,
    /** A document the answer must come with, e.g. "business licence (营业执照)". */
    documentRequested: z.string().trim().min(1).max(200).optional(),
  }),
]);

/** The applicant attaches a stored document (its bytes are outside Temporal) to the application or an answer. */
export const AttachDocument = z.strictObject({
  actor: Actor,
  document: DocumentRef,
  attachTo: z.enum(ATTACH_TO),
});

export const AcceptAgreement = z.strictObject({
  actor: Actor,
  agreementVersion: z.string().trim().min(1).max(64),
  /** Hex SHA-256 of the agreement text the applicant was shown. */
  textDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256 digest'),
  /** Who signs: the global admin, signed in with the credentials saved when the account was created. */
  signerEmail: Email.optional(),
});

/**
 * The applicant corrects the account details Partner Center refused: another work account (an
 * existing domain, or another prefix for a new one) and/or the global admin named.
 */
export const CorrectAccountDetails = z
  .strictObject({
    actor: Actor,
    workAccount: WorkAccount.optional(),
    globalAdmin: Person.optional(),
  })
  .refine((input) => input.workAccount || input.globalAdmin, {
    message: 'name the work account, the global admin, or both',
    path: ['workAccount'],
  });

/** An operator settles an incident: the failed step runs again, or the enrollment ends (the applicant is told). */
export const ResolveIncident = z.strictObject({
  actor: Actor,
  action: z.enum(['retry', 'end']),
  reason,
});

/** An operator gives the applicant more time: the current stage's deadline moves to `until`. */
export const ExtendDeadline = z.strictObject({
  actor: Actor,
  until: z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time such as 2026-12-31T18:00:00+08:00',
  }),
  reason,
});

/** An operator sends an email again whose delivery failed for good. */
export const ResendNotification = z.strictObject({
  actor: Actor,
  /** The key of the undelivered email, as the status lists it. */
  key: z.string().trim().min(1).max(200),
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
export type CorrectAccountDetails = z.infer<typeof CorrectAccountDetails>;
export type ResendNotification = z.infer<typeof ResendNotification>;
export type ResolveIncident = z.infer<typeof ResolveIncident>;
export type ExtendDeadline = z.infer<typeof ExtendDeadline>;
export type Withdraw = z.infer<typeof Withdraw>;
export type AttachDocument = z.infer<typeof AttachDocument>;
export type ClaimReview = z.infer<typeof ClaimReview>;
export type ReleaseReview = z.infer<typeof ReleaseReview>;
export type ReassignReview = z.infer<typeof ReassignReview>;

/** What each action takes, by the name its update carries (its signal's is the name + "Signal"). */
export interface ActionInputs {
  correctAccountDetails: CorrectAccountDetails;
  submitPhoneCode: SubmitPhoneCode;
  requestPhoneCode: RequestPhoneCode;
  submitApplication: SubmitApplication;
  answerInformationRequest: AnswerInformationRequest;
  decideReview: DecideReview;
  acceptAgreement: AcceptAgreement;
  withdraw: Withdraw;
  claimReview: ClaimReview;
  releaseReview: ReleaseReview;
  reassignReview: ReassignReview;
  resendNotification: ResendNotification;
  resolveIncident: ResolveIncident;
  attachDocument: AttachDocument;
  extendDeadline: ExtendDeadline;
}
export type ActionName = keyof ActionInputs;

/** Each action's schema by its name, so a client can check what it is about to send. */
export const ACTION_SCHEMAS: { readonly [N in ActionName]: z.ZodType<ActionInputs[N]> } = {
  correctAccountDetails: CorrectAccountDetails,
  submitPhoneCode: SubmitPhoneCode,
  requestPhoneCode: RequestPhoneCode,
  submitApplication: SubmitApplication,
  answerInformationRequest: AnswerInformationRequest,
  decideReview: DecideReview,
  acceptAgreement: AcceptAgreement,
  withdraw: Withdraw,
  claimReview: ClaimReview,
  releaseReview: ReleaseReview,
  reassignReview: ReassignReview,
  resendNotification: ResendNotification,
  resolveIncident: ResolveIncident,
  attachDocument: AttachDocument,
  extendDeadline: ExtendDeadline,
};

/** A readable one-line message naming each failing field, for refusals and HTTP 400s. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
