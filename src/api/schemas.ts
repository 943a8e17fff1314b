/**
 * Request and response shapes of the HTTP API. Bodies are the domain's action schemas without the
 * actor (the token names who acts) and the start request without its owner and policy (the API
 * sets the owner; applicants do not choose their deadlines). All strict: unknown fields are a 400.
 */
import { z } from 'zod';
import {
  AcceptAgreement,
  AnswerInformationRequest,
  DecideReview,
  ReassignReview,
  SubmitPhoneCode,
  Withdraw,
} from '../domain/actions';
import { CspApplication, EnrollmentRequest } from '../domain/enrollment';
import { END_STATES, STAGES } from '../domain/status';

const withoutActor = { actor: true } as const;

export const StartBody = EnrollmentRequest.omit({ owner: true, policy: true });
export const PhoneCodeBody = SubmitPhoneCode.omit(withoutActor);
export const ApplicationBody = CspApplication;
export const InformationBody = AnswerInformationRequest.omit(withoutActor);
const [approve, reject, requestInformation] = DecideReview.options;
export const DecisionBody = z.discriminatedUnion('decision', [
  approve.omit(withoutActor),
  reject.omit(withoutActor),
  requestInformation.omit(withoutActor),
]);
export const AgreementBody = AcceptAgreement.omit(withoutActor);
export const WithdrawBody = Withdraw.omit(withoutActor);
export const EmptyBody = z.strictObject({});
export const ReassignBody = ReassignReview.omit(withoutActor);

export const EnrollmentParams = z.strictObject({
  id: z
    .string()
    .regex(/^enrollment-[0-9A-Z]{18}$/, 'must be an enrollment ID such as enrollment-91310000MA1FL8XQ3K'),
});

const Page = {
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque token from the previous page's nextPageToken. */
  pageToken: z.string().max(200).optional(),
};
export const ListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  endState: z.enum(END_STATES).optional(),
  ...Page,
});
export const QueueQuery = z.strictObject(Page);

export const ActionResultBody = z.object({
  enrollmentId: z.string(),
  stage: z.enum(STAGES),
  message: z.string(),
});
export const StartedBody = z.object({
  enrollmentId: z.string(),
  stage: z.enum(STAGES),
  location: z.string(),
});

export const ListItem = z.object({
  enrollmentId: z.string(),
  company: z.string().optional(),
  stage: z.string().optional(),
  endState: z.string().optional(),
  executionStatus: z.string(),
  startedAt: z.string(),
  dueAt: z.string().optional(),
  reviewDue: z.string().optional(),
  reviewAssignee: z.string().optional(),
  mpnId: z.string().optional(),
  /** Reviewers, review leads and operators only. */
  creditRisk: z.string().optional(),
});
export type ListItem = z.infer<typeof ListItem>;
export const ListBody = z.object({ items: z.array(ListItem), nextPageToken: z.string().optional() });

export const QueueItem = ListItem.extend({
  /** When the current holder took the review (claim or assignment). */
  heldSince: z.string().optional(),
  assignedBy: z.string().optional(),
});
export const QueueBody = z.object({ items: z.array(QueueItem), nextPageToken: z.string().optional() });

const Audit = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  outcome: z.enum(['done', 'refused']),
  detail: z.string().optional(),
});
/** The status query's answer; `review.credit` is left out for applicants. */
export const EnrollmentBody = z
  .object({
    enrollmentId: z.string(),
    companyName: z.string(),
    owner: z.string().optional(),
    stage: z.enum(STAGES),
    endState: z.enum(END_STATES).optional(),
    endReason: z.string().optional(),
    startedAt: z.string(),
    dueAt: z.string().optional(),
    application: CspApplication.optional(),
    review: z
      .object({
        credit: z
          .object({
            decision: z.string(),
            score: z.number(),
            riskBand: z.string(),
            reportReference: z.string(),
          })
          .optional(),
        assignee: z
          .object({ holder: z.string(), since: z.string(), assignedBy: z.string().optional() })
          .optional(),
      })
      .loose(),
    agreement: z.object({ version: z.string().optional(), textDigest: z.string().optional() }).loose(),
    audit: z.array(Audit),
  })
  .loose();
