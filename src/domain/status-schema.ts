/**
 * The enrollment's status as one zod schema: the status query's TypeScript type is inferred from
 * it, and the API's response and the OpenAPI document are made from it.
 *
 * Workflow code takes the types only (through ./status, `import type`), never this module: the
 * workflow bundle has no need of these schemas, and every cached workflow would evaluate them.
 */
import { z } from 'zod';
import { ATTACH_TO, DocumentRef } from './documents';
import { CspApplication, Person, WorkAccount } from './enrollment';
import { GETTING_STARTED_TASKS } from './getting-started';
import { NOTIFICATION_TEMPLATES } from './notifications';
import { END_STATES, STAGES } from './status';

const instant = z.string().describe('ISO 8601 date-time');
/** "<role>:<id>" of a person, or "system" for automatic steps. */
const who = z.string();

export const AuditEntry = z.object({
  /** Its number in the enrollment attempt, from 1: the durable audit log's key (src/integrations/audit). */
  seq: z.number().int().optional(),
  at: instant,
  /** "system" for automatic steps, else "<role>:<id>". */
  actor: who,
  action: z.string(),
  outcome: z.enum(['done', 'refused']),
  detail: z.string().optional(),
});

/** The credit bureau's risk band; high risk needs two approvers. */
export const RiskBand = z.enum(['low', 'medium', 'high']);

export const CreditResult = z.object({
  decision: z.enum(['approved', 'declined']),
  score: z.number(),
  riskBand: RiskBand,
  reportReference: z.string(),
  /** The organization's name on record for its registration number. */
  registeredName: z.string().optional(),
});

export const InformationRequest = z.object({
  question: z.string(),
  /** A document the answer must come with. */
  documentRequested: z.string().optional(),
  askedBy: who,
  askedAt: instant,
  answer: z.string().optional(),
  answeredAt: instant.optional(),
  answeredBy: who.optional(),
});

export const Approval = z.object({
  /** "<role>:<id>" of the approver. */
  reviewer: who,
  at: instant,
  comment: z.string().optional(),
  /** The reviewer shared the comment with the applicant. */
  shared: z.boolean().optional(),
});

/** Where the data disagree, for reviewers (name mismatches, high credit risk). */
export const ReviewFlag = z.object({
  code: z.enum([
    'legal-name-differs-from-organization',
    'legal-name-differs-from-registry',
    'high-credit-risk',
  ]),
  detail: z.string(),
});

export const ReviewState = z.object({
  startedAt: instant.optional(),
  /** When the review escalates to review leads (moves later while the applicant answers a question). */
  dueAt: instant.optional(),
  escalatedAt: instant.optional(),
  /** When the program's operators are told the review is overdue. */
  overdueAt: instant.optional(),
  /** Enrollments started before reviews stopped expiring only. */
  expiresAt: instant.optional(),
  credit: CreditResult.optional(),
  flags: z.array(ReviewFlag).optional(),
  approvalsNeeded: z.number().int(),
  /** Who holds the review (claimed it, or was assigned it by a review lead), and since when. */
  assignee: z.object({ holder: who, since: instant, assignedBy: who.optional() }).optional(),
  approvals: z.array(Approval),
  informationRequests: z.array(InformationRequest),
  /** Time the applicant spent answering questions (ms): it does not count against reviewers. */
  pausedMs: z.number().optional(),
});

export const AgreementAcceptance = z.object({
  /** Who signed: the enrollment's global admin, by name and email. */
  signer: z.object({ name: z.string(), email: z.string() }).optional(),
  /** The account that acted ("<role>:<id>"). */
  acceptedBy: who,
  acceptedAt: instant,
  version: z.string(),
  textDigest: z.string(),
});

/** The 21Vianet CSP reseller agreement as Partner Center offers it. */
export const AgreementState = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  textDigest: z.string().optional(),
  url: z.string().optional(),
  acceptance: AgreementAcceptance.optional(),
  /** When Partner Center recorded the acceptance. */
  recordedAt: instant.optional(),
});

export const AccountProblem = z.object({
  code: z.enum(['unknown-domain', 'not-global-admin', 'domain-taken']),
  message: z.string(),
  at: instant,
});

export const AccountState = z.object({
  /** The work account the applicant named (or corrected to). */
  workAccount: WorkAccount.optional(),
  tenantId: z.string().optional(),
  tenantDomain: z.string().optional(),
  /** True when the work account existed before this enrollment. */
  existing: z.boolean().optional(),
  partnerAccountId: z.string().optional(),
  adminSignInName: z.string().optional(),
  /** Why the account details need the applicant's correction, while they do. */
  problem: AccountProblem.optional(),
  corrections: z.number().int().optional(),
});

export const PhoneVerificationState = z.object({
  /** Whether Partner Center asked for it; undefined until it said. */
  required: z.boolean().optional(),
  /** How the code reaches the organization's number: SMS for a mobile, a voice call for a landline. */
  channel: z.enum(['sms', 'voice']).optional(),
  verified: z.boolean(),
  /** Codes reserved, including one being sent. */
  codesSent: z.number().int(),
  attemptsLeft: z.number().int(),
  codeExpiresAt: instant.optional(),
  /** When each code was asked for, for the hourly limit. */
  codeTimes: z.array(instant).optional(),
  /** True while a code is on its way (an attempt cannot be made yet). */
  sending: z.boolean().optional(),
});

export const ProvisioningState = z.object({
  attempts: z.number().int(),
  state: z.string().optional(),
  provisioningId: z.string().optional(),
  readyAt: instant.optional(),
  lastFailure: z.string().optional(),
  /** Extra attempts operators granted after the policy's were spent. */
  retriesGranted: z.number().int().optional(),
});

const GettingStartedTask = z.enum(GETTING_STARTED_TASKS);

export const GettingStartedState = z.object({
  tasks: z.record(GettingStartedTask, z.boolean()),
  checkedAt: instant.optional(),
  completedAt: instant.optional(),
  /** Tasks still open at the deadline, when the enrollment completed without them. */
  left: z.array(GettingStartedTask).optional(),
});

/** A step that failed for good (its retries exhausted): the enrollment waits there for an operator. */
export const Incident = z.object({
  step: z.string(),
  reason: z.string(),
  openedAt: instant,
  /** Set once an operator settled it. */
  closedAt: instant.optional(),
  closedBy: who.optional(),
  action: z.enum(['retry', 'end']).optional(),
  note: z.string().optional(),
});

/** An email the flow sent beside it; kept while undelivered so an operator can send it again. */
export const UndeliveredNotification = z.object({
  key: z.string(),
  template: z.enum(NOTIFICATION_TEMPLATES),
  to: z.enum(['applicant', 'reviewers', 'review-leads', 'operators']),
  reason: z.string(),
  at: instant,
});

/** A document as the enrollment records it: the reference, who attached it, when, and to what. */
export const AttachedDocument = z.object({
  ...DocumentRef.shape,
  attachedBy: who,
  attachedAt: instant,
  attachedTo: z.enum(ATTACH_TO),
  /** For answers: the index of the information request it answers. */
  question: z.number().int().optional(),
});

/** What the status query returns: everything staff see. */
export const EnrollmentStatus = z.object({
  enrollmentId: z.string(),
  /** The enrollment attempt: the first run of this enrollment (idempotency keys, Message-IDs). */
  attemptId: z.string().optional(),
  companyName: z.string(),
  registrationNumber: z.string().optional(),
  /** The organization's phone number in China. */
  organizationPhone: z.string().optional(),
  globalAdmin: Person.optional(),
  /** The applicant account that owns it (see EnrollmentRequest.owner). */
  owner: z.string().optional(),
  stage: z.enum(STAGES),
  endState: z.enum(END_STATES).optional(),
  /** Why it ended, for staff (it may quote the credit bureau). */
  endReason: z.string().optional(),
  /** Why it ended as the applicant is told, where that differs from `endReason`. */
  applicantEndReason: z.string().optional(),
  startedAt: instant,
  /** The deadline of the stage that is waiting, if any. */
  dueAt: instant.optional(),
  account: AccountState,
  phoneVerification: PhoneVerificationState,
  application: CspApplication.optional(),
  /** Partner Center's reference of the submitted application. */
  applicationReference: z.string().optional(),
  review: ReviewState,
  agreement: AgreementState,
  provisioning: ProvisioningState,
  gettingStarted: GettingStartedState.optional(),
  /** The open incident, if a step failed for good; `incidents` keeps the settled ones. */
  incident: Incident.optional(),
  incidents: z.array(Incident).optional(),
  /** Keys of emails on their way (sent beside the flow); empty once all were delivered or given up. */
  emailsInFlight: z.array(z.string()).optional(),
  undelivered: z.array(UndeliveredNotification).optional(),
  /** Documents attached to the application and to answers: references only, the bytes are stored elsewhere. */
  documents: z.array(AttachedDocument).optional(),
  audit: z.array(AuditEntry),
});

/**
 * What an applicant sees of it (../domain/applicant-view builds it field by field): the same
 * fields where they are theirs to see, without credit data, reviewer identities or internal notes.
 */
export const ApplicantStatus = EnrollmentStatus.pick({
  enrollmentId: true,
  companyName: true,
  registrationNumber: true,
  organizationPhone: true,
  globalAdmin: true,
  owner: true,
  stage: true,
  endState: true,
  endReason: true,
  startedAt: true,
  dueAt: true,
  application: true,
  applicationReference: true,
  gettingStarted: true,
  audit: true,
}).extend({
  account: AccountState.pick({
    workAccount: true,
    tenantDomain: true,
    existing: true,
    partnerAccountId: true,
    adminSignInName: true,
    problem: true,
  }),
  phoneVerification: PhoneVerificationState.pick({
    required: true,
    channel: true,
    verified: true,
    codesSent: true,
    attemptsLeft: true,
    codeExpiresAt: true,
    sending: true,
  }),
  review: z.object({
    startedAt: instant.optional(),
    informationRequests: z.array(
      InformationRequest.pick({
        question: true,
        documentRequested: true,
        askedAt: true,
        answer: true,
        answeredAt: true,
      }),
    ),
    /** Reviewers' comments they chose to share, without who wrote them. */
    comments: z.array(z.object({ comment: z.string(), at: instant })),
  }),
  agreement: AgreementState.omit({ recordedAt: true }),
  provisioning: ProvisioningState.pick({ state: true, readyAt: true }),
  /** Their own documents, without who attached them on their side. */
  documents: z.array(AttachedDocument.omit({ attachedBy: true })),
});

/**
 * One row of a list: the status as its search attributes tell it (lists never ask a workflow), so
 * every field but the run's own is optional and free text.
 */
export const EnrollmentSummary = z.object({
  enrollmentId: z.string(),
  runId: z.string(),
  /** Temporal's: Running, Completed, ContinuedAsNew, … */
  executionStatus: z.string(),
  startedAt: instant,
  closedAt: instant.optional(),
  company: z.string().optional(),
  stage: z.string().optional(),
  endState: z.string().optional(),
  /** The owner's opaque ID (src/client/owner-ids), never the applicant's subject. */
  owner: z.string().optional(),
  mpnId: z.string().optional(),
  /** Reviewers, review leads and operators only. */
  creditRisk: z.string().optional(),
  dueAt: instant.optional(),
  reviewDue: instant.optional(),
  /** "<role>:<id>" holding the review. */
  reviewAssignee: who.optional(),
  /** Since when the holder holds the review (claim or assignment). */
  heldSince: instant.optional(),
  /** The step waiting for an operator (staff). */
  incident: z.string().optional(),
  /** When the current stage (or the end) was entered. */
  stageSince: instant.optional(),
  /** When reviewers approved or rejected. */
  decidedAt: instant.optional(),
});

export type AuditEntry = z.infer<typeof AuditEntry>;
export type RiskBand = z.infer<typeof RiskBand>;
export type CreditResult = z.infer<typeof CreditResult>;
export type InformationRequest = z.infer<typeof InformationRequest>;
export type Approval = z.infer<typeof Approval>;
export type ReviewFlag = z.infer<typeof ReviewFlag>;
export type ReviewState = z.infer<typeof ReviewState>;
export type AgreementAcceptance = z.infer<typeof AgreementAcceptance>;
export type AgreementState = z.infer<typeof AgreementState>;
export type AccountProblem = z.infer<typeof AccountProblem>;
export type AccountState = z.infer<typeof AccountState>;
export type PhoneVerificationState = z.infer<typeof PhoneVerificationState>;
export type ProvisioningState = z.infer<typeof ProvisioningState>;
export type GettingStartedState = z.infer<typeof GettingStartedState>;
export type Incident = z.infer<typeof Incident>;
export type UndeliveredNotification = z.infer<typeof UndeliveredNotification>;
export type AttachedDocument = z.infer<typeof AttachedDocument>;
export type EnrollmentStatus = z.infer<typeof EnrollmentStatus>;
export type ApplicantStatus = z.infer<typeof ApplicantStatus>;
export type EnrollmentSummary = z.infer<typeof EnrollmentSummary>;
