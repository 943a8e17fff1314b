/**
 * The enrollment workflow's public surface: signals, updates, the status query and the search
 * attributes operators filter by. Shared by the workflow and every client (API, CLI, tests).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptAgreement,
  AnswerInformationRequest,
  ClaimReview,
  DecideReview,
  ReassignReview,
  ReleaseReview,
  RequestPhoneCode,
  SubmitApplication,
  SubmitPhoneCode,
  Withdraw,
} from '../domain/actions';
import type { EnrollmentStatus } from '../domain/status';

export const TASK_QUEUE = 'csp-enrollment';
export const ENROLLMENT_WORKFLOW = 'enrollment';

export const statusQuery = defineQuery<EnrollmentStatus>('status');

/** What an update returns when the workflow accepted it. Refusals are thrown by the validator. */
export interface ActionResult {
  stage: EnrollmentStatus['stage'];
  message: string;
}

/**
 * Each action is offered twice: as an update (validated, answers the caller) and as a signal
 * (for tools that cannot wait; a refused signal is recorded in the audit trail and changes nothing).
 */
export const actions = {
  submitPhoneCode: {
    update: defineUpdate<ActionResult, [SubmitPhoneCode]>('submitPhoneCode'),
    signal: defineSignal<[SubmitPhoneCode]>('submitPhoneCodeSignal'),
  },
  requestPhoneCode: {
    update: defineUpdate<ActionResult, [RequestPhoneCode]>('requestPhoneCode'),
    signal: defineSignal<[RequestPhoneCode]>('requestPhoneCodeSignal'),
  },
  submitApplication: {
    update: defineUpdate<ActionResult, [SubmitApplication]>('submitApplication'),
    signal: defineSignal<[SubmitApplication]>('submitApplicationSignal'),
  },
  answerInformationRequest: {
    update: defineUpdate<ActionResult, [AnswerInformationRequest]>('answerInformationRequest'),
    signal: defineSignal<[AnswerInformationRequest]>('answerInformationRequestSignal'),
  },
  decideReview: {
    update: defineUpdate<ActionResult, [DecideReview]>('decideReview'),
    signal: defineSignal<[DecideReview]>('decideReviewSignal'),
  },
  acceptAgreement: {
    update: defineUpdate<ActionResult, [AcceptAgreement]>('acceptAgreement'),
    signal: defineSignal<[AcceptAgreement]>('acceptAgreementSignal'),
  },
  withdraw: {
    update: defineUpdate<ActionResult, [Withdraw]>('withdraw'),
    signal: defineSignal<[Withdraw]>('withdrawSignal'),
  },
  claimReview: {
    update: defineUpdate<ActionResult, [ClaimReview]>('claimReview'),
    signal: defineSignal<[ClaimReview]>('claimReviewSignal'),
  },
  releaseReview: {
    update: defineUpdate<ActionResult, [ReleaseReview]>('releaseReview'),
    signal: defineSignal<[ReleaseReview]>('releaseReviewSignal'),
  },
  reassignReview: {
    update: defineUpdate<ActionResult, [ReassignReview]>('reassignReview'),
    signal: defineSignal<[ReassignReview]>('reassignReviewSignal'),
  },
} as const;
export type ActionName = keyof typeof actions;

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
} as const;
export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);
