/**
 * One valid payload per workflow action (the templates the suites break), the schema that
 * decides whether an input is bad at all, and an actor each action refuses whatever the payload
 * (so well-formed hostile input can be tried on the enrollment in review without moving it).
 */
import type { z } from 'zod';
import * as schemas from '../../../src/domain/actions';
import type { Actor } from '../../../src/domain/actions';
import type { ActionName } from '../../../src/workflows/definitions';
import { applicant, cspApplication, reviewer } from '../../fixtures';

export const ACTION_SCHEMAS: Record<ActionName, z.ZodType> = {
  submitPhoneCode: schemas.SubmitPhoneCode,
  requestPhoneCode: schemas.RequestPhoneCode,
  submitApplication: schemas.SubmitApplication,
  answerInformationRequest: schemas.AnswerInformationRequest,
  decideReview: schemas.DecideReview,
  acceptAgreement: schemas.AcceptAgreement,
  withdraw: schemas.Withdraw,
  claimReview: schemas.ClaimReview,
  releaseReview: schemas.ReleaseReview,
  reassignReview: schemas.ReassignReview,
};

export const VALID_PAYLOADS: Record<ActionName, object> = {
  submitPhoneCode: { actor: applicant, code: '123456' },
  requestPhoneCode: { actor: applicant },
  submitApplication: { actor: applicant, application: cspApplication() },
  answerInformationRequest: { actor: applicant, answer: 'Our audited accounts are attached.' },
  decideReview: { actor: reviewer, decision: 'reject', reason: 'incomplete business profile' },
  acceptAgreement: { actor: applicant, agreementVersion: '2025-01-CN', textDigest: 'a'.repeat(64) },
  withdraw: { actor: applicant, reason: 'changed our mind' },
  claimReview: { actor: reviewer },
  releaseReview: { actor: reviewer },
  reassignReview: {
    actor: { id: 'lead-1', role: 'review-lead' },
    to: { id: 'reviewer-2', role: 'reviewer' },
  },
};

/**
 * In the review stage with nobody holding the review, each action is refused for this role by the
 * workflow's rules (applicant steps: wrong stage or wrong role; reviewer steps: not a reviewer).
 */
export const REFUSED_ROLE: Record<ActionName, Actor['role']> = {
  submitPhoneCode: 'applicant',
  requestPhoneCode: 'applicant',
  submitApplication: 'applicant',
  answerInformationRequest: 'applicant',
  decideReview: 'applicant',
  acceptAgreement: 'applicant',
  withdraw: 'reviewer',
  claimReview: 'operator',
  releaseReview: 'review-lead',
  reassignReview: 'reviewer',
};

export const ACTION_NAMES = Object.keys(VALID_PAYLOADS) as ActionName[];
