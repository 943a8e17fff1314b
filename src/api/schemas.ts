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
  ExtendDeadline,
  ReassignReview,
  ResolveIncident,
  SubmitPhoneCode,
  Withdraw,
} from '../domain/actions';
import {
  CspApplication,
  EnrollmentRequest,
  MpnId,
  Person,
  RegistrationNumber,
  WorkAccount,
} from '../domain/enrollment';
import { LIST_ORDERS } from '../client/lists';
import { END_STATES, STAGES } from '../domain/status';
import { ApplicantStatus, AuditEntry, EnrollmentStatus, EnrollmentSummary } from '../domain/status-schema';
import { decodeAuditToken } from './audit-pages';

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
/**
 * The agreement as offered: its version and text digest. The signer is never typed: it is who
 * signed in, by the verified email of their sign-in (./access.ts), as the global admin signs in to
 * Partner Center with the credentials saved at the guide's step 4.
 */
export const AgreementBody = z.strictObject(AcceptAgreement.omit({ actor: true, signerEmail: true }).shape, {
  error: (issue) =>
    issue.code === 'unrecognized_keys' && issue.keys.includes('signerEmail')
      ? 'signerEmail is not taken: the signer is who signed in (the verified email of their sign-in)'
      : undefined,
});
export const AccountDetailsBody = z
  .strictObject({ workAccount: WorkAccount.optional(), globalAdmin: Person.optional() })
  .refine((body) => body.workAccount || body.globalAdmin, {
    message: 'name the work account, the global admin, or both',
    path: ['workAccount'],
  });
export const WithdrawBody = Withdraw.omit(withoutActor);
export const EmptyBody = z.strictObject({});
export const ReassignBody = ReassignReview.omit(withoutActor);
export const IncidentBody = ResolveIncident.omit(withoutActor);
export const DeadlineBody = ExtendDeadline.omit(withoutActor);

const EnrollmentId = z
  .string()
  .regex(/^enrollment-[0-9A-Z]{18}$/, 'must be an enrollment ID such as enrollment-91310000MA1FL8XQ3K');
export const EnrollmentParams = z.strictObject({ id: EnrollmentId });
/** An undelivered email of an enrollment, by the key its status lists. */
export const NotificationParams = z.strictObject({
  id: EnrollmentId,
  key: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be the key of an undelivered email'),
});

const Page = {
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque token from the previous page's nextPageToken. */
  pageToken: z.string().max(2000).optional(),
};
export const ListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  endState: z.enum(END_STATES).optional(),
  /** Companies whose name starts with this text. */
  company: z.string().trim().min(1).max(200).optional(),
  mpnId: MpnId.optional(),
  registrationNumber: RegistrationNumber.optional(),
  /** Only enrollments waiting in an incident (staff). */
  incident: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  /**
   * recent: running first, newest first, then the ended; due: earliest deadline first; decided:
   * latest review decision first (staff); stage-since: longest in their stage first (staff).
   */
  order: z.enum(LIST_ORDERS).default('recent'),
  ...Page,
});
export const QueueQuery = z.strictObject(Page);

export const ActionResultBody = z.object({
  enrollmentId: z.string(),
  stage: z.enum(STAGES),
  message: z.string(),
});
export const PendingActionBody = ActionResultBody.extend({ pending: z.literal(true), location: z.string() });
export const StartedBody = z.object({
  enrollmentId: z.string(),
  stage: z.enum(STAGES),
  location: z.string(),
});

/** A list row as the API answers it: the summary without the run's own fields and the owner's ID. */
export const ListItem = EnrollmentSummary.omit({ runId: true, closedAt: true, owner: true });
export type ListItem = z.infer<typeof ListItem>;
export const ListBody = z.object({ items: z.array(ListItem), nextPageToken: z.string().optional() });

export const QueueBody = ListBody;

/** The status query's answer: all of it for staff, the allow-listed view for applicants. */
export const EnrollmentBody = z.union([
  EnrollmentStatus.meta({
    title: 'EnrollmentStatus',
    description: 'what reviewers, review leads and operators see',
  }),
  ApplicantStatus.meta({ title: 'ApplicantStatus', description: 'what the enrollment’s applicant sees' }),
]);

/** One page of the audit trail, oldest first. */
export const AuditPageBody = z.object({ items: z.array(AuditEntry), nextPageToken: z.string().optional() });
export const AuditQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** The previous page's nextPageToken. */
  pageToken: z
    .string()
    .max(200)
    .optional()
    .transform((token, ctx) => {
      if (token === undefined) return 0;
      const after = decodeAuditToken(token);
      if (after === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a nextPageToken of this audit trail' });
        return z.NEVER;
      }
      return after;
    }),
});
