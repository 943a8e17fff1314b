/**
 * The applicant's view is an allow-list: from a status holding everything staff see (credit data,
 * risk flags, approvals and their authors, internal comments, staff actions, incidents), only what
 * is theirs reaches the applicant.
 */
import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod';
import { EnrollmentBody } from '../../src/api/schemas';
import { applicantView, CREDIT_DECLINED_FOR_APPLICANT } from '../../src/domain/applicant-view';
import { CspApplication } from '../../src/domain/enrollment';
import type { EnrollmentStatus } from '../../src/domain/status';
import { ApplicantStatus, EnrollmentStatus as StatusSchema } from '../../src/domain/status-schema';
import { cspApplication } from '../fixtures';

const at = '2026-11-20T08:00:00.000Z';

/** A staff status with every internal detail an enrollment gathers. */
const status: EnrollmentStatus = {
  enrollmentId: 'enrollment-91310000MA1FL8XQ3K',
  attemptId: 'run-1',
  companyName: 'Shanghai Yunfan Technology Co., Ltd.',
  registrationNumber: '91310000MA1FL8XQ3K',
  organizationPhone: '+8613912345678',
  globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: 'wei.zhang@yunfan.example.cn' },
  owner: 'wei.zhang',
  stage: 'agreement',
  startedAt: at,
  dueAt: at,
  account: { tenantDomain: 'yunfan.partner.onmschina.cn', partnerAccountId: 'pa-1', existing: false },
  phoneVerification: { required: true, channel: 'sms', verified: true, codesSent: 1, attemptsLeft: 4 },
  // As the workflow holds it: parsed (phone numbers normalized).
  application: CspApplication.parse(cspApplication()),
  applicationReference: 'APP-1',
  review: {
    startedAt: at,
    dueAt: at,
    escalatedAt: at,
    overdueAt: at,
    credit: {
      decision: 'approved',
      score: 431,
      riskBand: 'high',
      reportReference: 'CR-SECRET-REF',
      registeredName: 'Shanghai Yunfan Tech (former name)',
    },
    flags: [{ code: 'high-credit-risk', detail: 'high credit risk: two different reviewers must approve' }],
    approvalsNeeded: 2,
    assignee: { holder: 'reviewer:reviewer-2', since: at, assignedBy: 'review-lead:lead-1' },
    approvals: [
      { reviewer: 'review-lead:lead-1', at, comment: 'internal: watch their payment history' },
      { reviewer: 'reviewer:reviewer-2', at, comment: 'Welcome to the program!', shared: true },
    ],
    informationRequests: [
      {
        question: 'Please send the business licence',
        askedBy: 'reviewer:reviewer-2',
        askedAt: at,
        answer: 'Attached',
        answeredAt: at,
        answeredBy: 'applicant:wei.zhang',
      },
    ],
    pausedMs: 1000,
  },
  agreement: { name: '21Vianet CSP reseller agreement', version: '2025-01-CN', textDigest: 'a'.repeat(64) },
  provisioning: { attempts: 2, lastFailure: 'region full', retriesGranted: 1 },
  incidents: [
    { step: 'createPartnerAccount', reason: 'internal error 1234', openedAt: at, closedBy: 'operator:ops-1' },
  ],
  undelivered: [
    { key: 'review-reminder-3', template: 'review-reminder', to: 'reviewers', reason: '550', at },
  ],
  emailsInFlight: ['review-escalated'],
  audit: [
    { at, actor: 'system', action: 'stage review', outcome: 'done', detail: `due ${at}` },
    { at, actor: 'system', action: 'credit check done', outcome: 'done', detail: 'risk high, score 431' },
    { at, actor: 'reviewer:reviewer-2', action: 'review claimed', outcome: 'done' },
    {
      at,
      actor: 'reviewer:reviewer-2',
      action: 'information requested',
      outcome: 'done',
      detail: 'Please send the business licence',
    },
    {
      at,
      actor: 'applicant:wei.zhang',
      action: 'information provided',
      outcome: 'done',
      detail: 'answer to "Please…"',
    },
    {
      at,
      actor: 'review-lead:lead-1',
      action: 'approved',
      outcome: 'done',
      detail: '1 more approval needed (high credit risk)',
    },
    { at, actor: 'system', action: 'review escalated to review leads', outcome: 'done' },
    {
      at,
      actor: 'system',
      action: 'incident opened',
      outcome: 'refused',
      detail: 'createPartnerAccount: internal error 1234',
    },
    { at, actor: 'operator:ops-1', action: 'incident: step run again', outcome: 'done', detail: 'fixed' },
    { at, actor: 'system', action: 'email review-reminder sent', outcome: 'done', detail: 'to reviewers' },
    { at, actor: 'system', action: 'email approved sent', outcome: 'done', detail: 'to the applicant' },
    { at, actor: 'system', action: 'application approved', outcome: 'done' },
    { at, actor: 'system', action: 'stage agreement', outcome: 'done', detail: `due ${at}` },
  ],
};

test('the applicant sees their own data, questions, shared comments and decisions', () => {
  const view = applicantView(status);
  expect(view.application).toEqual(status.application);
  expect(view.review.informationRequests).toEqual([
    { question: 'Please send the business licence', askedAt: at, answer: 'Attached', answeredAt: at },
  ]);
  expect(view.review.comments).toEqual([{ comment: 'Welcome to the program!', at }]);
  expect(view.agreement.version).toBe('2025-01-CN');
  expect(view.audit.map((entry) => `${entry.actor} ${entry.action}`)).toEqual([
    'system stage review',
    '21Vianet information requested',
    'applicant:wei.zhang information provided',
    'system email approved sent',
    'system application approved',
    'system stage agreement',
  ]);
  expect(view.phoneVerification).toMatchObject({ required: true, channel: 'sms', verified: true });
});

test('no phone verification asked: no channel named, as if a code were coming', () => {
  const view = applicantView({
    ...status,
    phoneVerification: { required: false, channel: 'voice', verified: false, codesSent: 0, attemptsLeft: 0 },
  });
  expect(view.phoneVerification).toEqual({ required: false, verified: false, codesSent: 0, attemptsLeft: 0 });
});

test('nothing internal reaches the applicant: no credit data, risk, approvals, reviewers, comments, incidents', () => {
  const text = JSON.stringify(applicantView(status));
  for (const internal of [
    'credit',
    'score',
    'riskBand',
    'CR-SECRET-REF',
    'former name',
    'flags',
    'high-credit-risk',
    'approvalsNeeded',
    'approvals',
    'reviewer-2',
    'lead-1',
    'watch their payment history',
    'assignee',
    'escalat',
    'incident',
    'internal error 1234',
    'ops-1',
    'undelivered',
    'review-reminder',
    'attemptId',
    'run-1',
    'lastFailure',
    'region full',
    'pausedMs',
    'overdueAt',
    'emailsInFlight',
  ])
    expect({ field: internal, found: text.includes(internal) }).toEqual({ field: internal, found: false });
});

describe('a declined credit check', () => {
  const bureau = 'credit check declined: insolvency proceedings opened 2026-10-02';
  const declined: EnrollmentStatus = {
    ...status,
    stage: 'ended',
    endState: 'rejected',
    endReason: bureau,
    applicantEndReason: CREDIT_DECLINED_FOR_APPLICANT,
    audit: [
      { at, actor: 'system', action: 'credit check declined', outcome: 'refused', detail: bureau },
      {
        at,
        actor: 'system',
        action: 'enrollment rejected',
        outcome: 'done',
        detail: CREDIT_DECLINED_FOR_APPLICANT,
      },
    ],
  };

  test('the applicant reads a neutral reason; staff keep the bureau’s', () => {
    const view = applicantView(declined);
    expect(view.endReason).toBe(CREDIT_DECLINED_FOR_APPLICANT);
    expect(view.audit).toEqual([
      {
        at,
        actor: 'system',
        action: 'enrollment rejected',
        outcome: 'done',
        detail: CREDIT_DECLINED_FOR_APPLICANT,
      },
    ]);
    expect(JSON.stringify(view)).not.toMatch(/insolvency|credit/);
    expect(declined.endReason).toBe(bureau);
  });

  test('an enrollment that ended before the neutral reason existed does not quote the bureau either', () => {
    const earlier: EnrollmentStatus = {
      ...declined,
      applicantEndReason: undefined,
      audit: [{ at, actor: 'system', action: 'enrollment rejected', outcome: 'done', detail: bureau }],
    };
    const view = applicantView(earlier);
    expect(view.endReason).toBe(CREDIT_DECLINED_FOR_APPLICANT);
    expect(view.audit[0].detail).toBe(CREDIT_DECLINED_FOR_APPLICANT);
    expect(JSON.stringify(view)).not.toMatch(/insolvency|credit/);
  });
});

describe('the one status schema', () => {
  /** As the OpenAPI document shows it: JSON Schema of what the API sends (no unknown fields). */
  const validator = (schema: z.ZodType) =>
    new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(
      z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }),
    );

  test('describes the staff status and the applicant view, each exactly', () => {
    const staff = validator(StatusSchema);
    const applicant = validator(ApplicantStatus);
    const view = applicantView(status);
    expect([staff(status), staff.errors]).toEqual([true, null]);
    expect([applicant(view), applicant.errors]).toEqual([true, null]);
    // Each rejects the other: the applicant's schema has no room for what staff see.
    expect(applicant(status)).toBe(false);
    expect(staff(view)).toBe(false);
  });

  test("is the API's answer for GET /enrollments/{id}, as the OpenAPI document gets it", () => {
    const answer = validator(EnrollmentBody);
    expect(answer(status)).toBe(true);
    expect(answer(applicantView(status))).toBe(true);
    expect(answer({ ...status, stage: 'somewhere' })).toBe(false);
  });
});
