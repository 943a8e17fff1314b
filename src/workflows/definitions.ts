/**
 * The enrollment workflow's public surface: signals, updates, the status query and the search
 * attributes operators filter by. Shared by the workflow and every client (API, CLI, tests).
 */
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SignalDefinition,
  type UpdateDefinition,
} from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionInputs, ActionName } from '../domain/actions';
import type { EnrollmentStatus } from '../domain/status';

export type { ActionInputs, ActionName };

export const TASK_QUEUE = 'csp-enrollment';
export const ENROLLMENT_WORKFLOW = 'enrollment';

export const statusQuery = defineQuery<EnrollmentStatus>('status');
/** The memo field that holds the status as of the last workflow task (./status-memo). */
export const STATUS_MEMO = 'status';
/**
 * The activities that may be in flight while the memo shows the current status: those beside the
 * flow (emails, audit writes) and the wait of hours for provisioning. While any other activity is
 * pending, the flow is between two steps and the memo may be behind (./status-memo): readers ask
 * the workflow instead (src/client/status.ts).
 */
export const MEMO_CURRENT_WHILE: readonly string[] = [
  'sendNotification',
  'writeAuditEntries',
  'awaitProvisioning',
];

/**
 * The type of an update's failure when a step failed while the person waited (a gateway did not
 * answer): nothing of theirs was used up, they may try again. Refusals are `ActionRefused`.
 */
export const STEP_FAILED = 'StepFailed';

/** What an update returns when the workflow accepted it. Refusals are thrown by the validator. */
export interface ActionResult {
  stage: EnrollmentStatus['stage'];
  message: string;
}

/**
 * Each action is offered twice: as an update (validated, answers the caller) and as a signal
 * (for tools that cannot wait; a refused signal is recorded in the audit trail and changes nothing).
 */
export interface ActionDefinition<N extends ActionName> {
  update: UpdateDefinition<ActionResult, [ActionInputs[N]]>;
  signal: SignalDefinition<[ActionInputs[N]]>;
}

function action<N extends ActionName>(name: N): ActionDefinition<N> {
  return { update: defineUpdate(name), signal: defineSignal(`${name}Signal`) };
}

/** By name, so that `actions[name]` keeps its input's type for any one name. */
export const actions: { readonly [N in ActionName]: ActionDefinition<N> } = {
  correctAccountDetails: action('correctAccountDetails'),
  submitPhoneCode: action('submitPhoneCode'),
  requestPhoneCode: action('requestPhoneCode'),
  submitApplication: action('submitApplication'),
  answerInformationRequest: action('answerInformationRequest'),
  decideReview: action('decideReview'),
  acceptAgreement: action('acceptAgreement'),
  withdraw: action('withdraw'),
  claimReview: action('claimReview'),
  releaseReview: action('releaseReview'),
  reassignReview: action('reassignReview'),
  resendNotification: action('resendNotification'),
  resolveIncident: action('resolveIncident'),
  attachDocument: action('attachDocument'),
  extendDeadline: action('extendDeadline'),
};

/** Typed search attributes; they carry no personal data (they are not encrypted). */
export const searchAttributes = {
  stage: defineSearchAttributeKey('CspStage', SearchAttributeType.KEYWORD),
  endState: defineSearchAttributeKey('CspEndState', SearchAttributeType.KEYWORD),
  mpnId: defineSearchAttributeKey('CspMpnId', SearchAttributeType.KEYWORD),
  company: defineSearchAttributeKey('CspCompany', SearchAttributeType.KEYWORD),
  /** The applicant account (a token subject, not a person's name), for "my enrollments". */
  owner: defineSearchAttributeKey('CspOwner', SearchAttributeType.KEYWORD),
  creditRisk: defineSearchAttributeKey('CspCreditRisk', SearchAttributeType.KEYWORD),
  reviewDue: defineSearchAttributeKey('CspReviewDue', SearchAttributeType.DATETIME),
  /** "reviewer:<id>" holding the review, or empty; lets the queue show who holds what. */
  reviewAssignee: defineSearchAttributeKey('CspReviewAssignee', SearchAttributeType.KEYWORD),
  dueAt: defineSearchAttributeKey('CspDueAt', SearchAttributeType.DATETIME),
  /** The step an enrollment is stuck at, waiting for an operator; empty when none. */
  incident: defineSearchAttributeKey('CspIncident', SearchAttributeType.KEYWORD),
  /** When the current stage (or the end) was entered: "in a stage too long", incidents by age. */
  stageSince: defineSearchAttributeKey('CspStageSince', SearchAttributeType.DATETIME),
  /** When reviewers approved or rejected, in seconds since the epoch (SQL visibility has 3 Datetimes). */
  decidedAt: defineSearchAttributeKey('CspDecidedAt', SearchAttributeType.INT),
  /** Since when the review's holder holds it, in seconds since the epoch. */
  reviewHeldSince: defineSearchAttributeKey('CspReviewHeldSince', SearchAttributeType.INT),
} as const;
export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);
