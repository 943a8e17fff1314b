/**
 * One valid payload per workflow action (the templates the suites break), the schema that
 * decides whether an input is bad at all, and an actor each action refuses whatever the payload
 * (so well-formed hostile input can be tried on the enrollment in review without moving it).
 */
import type { Actor } from '../../../src/domain/actions';
import type { ActionName } from '../../../src/workflows/definitions';
import { applicant, cspApplication, reviewer } from '../../fixtures';

export { ACTION_SCHEMAS } from '../../../src/domain/actions';

export const VALID_PAYLOADS: Record<ActionName, object> = {
  correctAccountDetails: { actor: applicant, workAccount: { kind: 'new', domainPrefix: 'yunfan-two' } },
  submitPhoneCode: { actor: applicant, code: '123456' },
  requestPhoneCode: { actor: applicant },
  submitApplication: { actor: applicant, application: cspApplication() },
  answerInformationRequest: { actor: applicant, answer: 'Our audited accounts are attached.' },
  decideReview: { actor: reviewer, decision: 'reject', reason: 'incomplete business profile' },
  acceptAgreement: {
    actor: applicant,
    agreementVersion: '2025-01-CN',
    textDigest: 'a'.repeat(64),
    signerEmail: 'wei.zhang@yunfan.example.cn',
  },
  withdraw: { actor: applicant, reason: 'changed our mind' },
  claimReview: { actor: reviewer },
  releaseReview: { actor: reviewer },
  reassignReview: {
    actor: { id: 'lead-1', role: 'review-lead' },
    to: { id: 'reviewer-2', role: 'reviewer' },
  },
  resendNotification: { actor: { id: 'ops-1', role: 'operator' }, key: 'approved' },
  resolveIncident: {
    actor: { id: 'ops-1', role: 'operator' },
    action: 'retry',
    reason: 'Partner Center is back',
  },
  extendDeadline: {
    actor: { id: 'ops-1', role: 'operator' },
    until: '2099-01-01T00:00:00Z',
    reason: 'the applicant asked for a week more',
  },
  attachDocument: {
    actor: applicant,
    document: {
      id: `doc-${'0f'.repeat(16)}`,
      name: '营业执照.pdf',
      type: 'application/pdf',
      size: 1024,
      sha256: 'b'.repeat(64),
    },
    attachTo: 'application',
  },
};

/**
 * In the review stage with nobody holding the review, each action is refused for this role by the
 * workflow's rules (applicant steps: wrong stage or wrong role; reviewer steps: not a reviewer).
 */
export const REFUSED_ROLE: Record<ActionName, Actor['role']> = {
  correctAccountDetails: 'applicant',
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
  resendNotification: 'reviewer',
  resolveIncident: 'reviewer',
  extendDeadline: 'applicant',
  attachDocument: 'reviewer',
};

export const ACTION_NAMES = Object.keys(VALID_PAYLOADS) as ActionName[];
