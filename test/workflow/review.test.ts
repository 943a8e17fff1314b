/**
 * The review stage: decisions, four eyes by person, the information loop, reminders, escalation to
 * review leads and operators, notes to the applicant — and a review that never expires on them.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { emailsSettled } from '../../src/domain/status';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicantView } from '../../src/domain/applicant-view';
import {
  applicant,
  cspApplication,
  enrollmentRequest,
  reviewer,
  reviewLead,
  secondReviewer,
} from '../fixtures';
import {
  acceptAgreement,
  approve,
  claim,
  submitApplication,
  throughToReview,
  verifyPhone,
  waitForReview,
  waitForStage,
  waitForStatus,
} from '../harness/driver';
import { workflowSuite } from './world';

const suite = workflowSuite('review');

const begin = () => suite.start(enrollmentRequest());

test('a rejection with its reason ends the enrollment and tells the applicant why', async () => {
  const world = suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await claim(handle, reviewer);
  await handle.executeUpdate(actions.decideReview.update, {
    args: [{ actor: reviewer, decision: 'reject', reason: 'Business licence does not cover IT services' }],
  });
  await expect(handle.result()).resolves.toEqual({
    endState: 'rejected',
    reason: 'Business licence does not cover IT services',
  });
  await suite.record('rejection', handle);
  const [mail] = world.mailsOf('rejected');
  expect(mail.params.reason).toBe('Business licence does not cover IT services');
  expect(mail.to).toEqual(['wei.zhang@yunfan.example.cn']);
});

test('a rejection without a reason is refused and changes nothing', async () => {
  suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await claim(handle, reviewer);
  const before = await handle.query(statusQuery);
  await expect(
    handle.executeUpdate(actions.decideReview.update, {
      args: [{ actor: reviewer, decision: 'reject' } as never],
    }),
  ).rejects.toThrow(WorkflowUpdateFailedError);
  expect(await handle.query(statusQuery)).toEqual(before);
  await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
  await expect(handle.result()).resolves.toMatchObject({ endState: 'withdrawn' });
});

test('information loop: the reviewer asks, the applicant answers, the review resumes and approves', async () => {
  const world = suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await claim(handle, reviewer);
  await handle.executeUpdate(actions.decideReview.update, {
    args: [
      { actor: reviewer, decision: 'request-information', reason: 'Please send the 2025 audited accounts' },
    ],
  });
  const asked = await waitForStage(handle, 'information-requested');
  expect(asked.review.informationRequests).toEqual([
    expect.objectContaining({
      question: 'Please send the 2025 audited accounts',
      askedBy: 'reviewer:reviewer-1',
    }),
  ]);
  expect((await world.waitForMails('information-requested'))[0].params.question).toBe(
    'Please send the 2025 audited accounts',
  );

  // A reviewer cannot decide while the applicant is being asked.
  await expect(approve(handle, reviewer)).rejects.toThrow(WorkflowUpdateFailedError);
  await handle.executeUpdate(actions.answerInformationRequest.update, {
    args: [{ actor: applicant, answer: 'Uploaded to the document portal, reference DOC-2025-17' }],
  });
  await waitForStage(handle, 'review');
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  const status = await handle.query(statusQuery);
  expect(status.review.informationRequests[0].answer).toBe(
    'Uploaded to the document portal, reference DOC-2025-17',
  );
  await suite.record('information-loop', handle);
});

test('high credit risk needs two different people (four eyes), whatever their roles', async () => {
  suite.useWorld({ credit: { riskBand: 'high', score: 430 } });
  const handle = await begin();
  const inReview = await throughToReview(handle);
  expect(inReview.review.approvalsNeeded).toBe(2);
  expect(inReview.review.flags).toEqual([expect.objectContaining({ code: 'high-credit-risk' })]);

  await expect(approve(handle, reviewLead)).resolves.toMatchObject({
    message: expect.stringContaining('1 more'),
  });
  expect((await handle.query(statusQuery)).stage).toBe('review');
  // Not even a review lead approves twice, nor the same person acting as a reviewer.
  for (const again of [reviewLead, { id: reviewLead.id, role: 'reviewer' as const }]) {
    const twice = await approve(handle, again).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((twice as WorkflowUpdateFailedError).cause?.message).toMatch(/four eyes|already approved/);
  }
  await approve(handle, reviewer);

  const signed = await waitForStage(handle, 'agreement');
  expect(signed.review.approvals.map((a) => a.reviewer)).toEqual([
    'review-lead:lead-1',
    'reviewer:reviewer-1',
  ]);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('four-eyes', handle);
});

test('reviewers see where names disagree: the legal name against the organization’s and the credit bureau’s', async () => {
  suite.useWorld({ credit: { registeredName: 'Shanghai Yunfan Information Co., Ltd.' } });
  const handle = await begin();
  await verifyPhone(handle);
  const legalName = 'Yunfan Cloud (Shanghai) Co., Ltd.';
  await submitApplication(
    handle,
    cspApplication({ businessProfile: { ...cspApplication().businessProfile, legalName } }),
  );
  const inReview = await waitForReview(handle);
  expect(inReview.review.credit?.registeredName).toBe('Shanghai Yunfan Information Co., Ltd.');
  expect(inReview.review.flags).toEqual([
    {
      code: 'legal-name-differs-from-organization',
      detail: `legal name "${legalName}" differs from the organization's name "Shanghai Yunfan Technology Co., Ltd."`,
    },
    {
      code: 'legal-name-differs-from-registry',
      detail:
        `legal name "${legalName}" differs from the name on record for the registration number, ` +
        '"Shanghai Yunfan Information Co., Ltd."',
    },
  ]);
  // For reviewers only: the applicant's view has no flags.
  expect(JSON.stringify(applicantView(inReview))).not.toMatch(/legal-name-differs/);
});

test('the enrollment’s owner never decides it, claims it or is given it', async () => {
  suite.useWorld();
  // An applicant account whose subject is also a reviewer's.
  const handle = await suite.start(enrollmentRequest({ owner: reviewer.id }));
  await throughToReview(handle);
  const refused = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => e.cause?.message,
    );
  expect(await refused(claim(handle, reviewer))).toMatch(/owner cannot review it/);
  expect(
    await refused(
      handle.executeUpdate(actions.decideReview.update, {
        args: [{ actor: { id: reviewer.id, role: 'review-lead' }, decision: 'approve' }],
      }),
    ),
  ).toMatch(/owner cannot review it/);
  expect(
    await refused(
      handle.executeUpdate(actions.reassignReview.update, { args: [{ actor: reviewLead, to: reviewer }] }),
    ),
  ).toMatch(/owner cannot review it/);
});

test('a reviewer decides only a review it holds; a review lead reassigns and decides any', async () => {
  suite.useWorld({ credit: { riskBand: 'high', score: 430 } });
  const handle = await begin();
  await throughToReview(handle);
  const refused = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => e.cause?.message,
    );
  expect(
    await refused(
      handle.executeUpdate(actions.decideReview.update, { args: [{ actor: reviewer, decision: 'approve' }] }),
    ),
  ).toBe('claim the review before deciding it');
  await claim(handle, reviewer);
  expect(await refused(claim(handle, secondReviewer))).toMatch(/held by reviewer:reviewer-1 since/);
  expect(
    await refused(handle.executeUpdate(actions.releaseReview.update, { args: [{ actor: secondReviewer }] })),
  ).toMatch(/only reviewer:reviewer-1 or a review lead/);
  expect(
    await refused(
      handle.executeUpdate(actions.reassignReview.update, {
        args: [{ actor: reviewer, to: secondReviewer }],
      }),
    ),
  ).toBe('only a review lead can reassign a review');

  await handle.executeUpdate(actions.reassignReview.update, {
    args: [{ actor: reviewLead, to: secondReviewer }],
  });
  let status = await handle.query(statusQuery);
  expect(status.review.assignee).toMatchObject({
    holder: 'reviewer:reviewer-2',
    assignedBy: 'review-lead:lead-1',
  });
  expect(
    await refused(
      handle.executeUpdate(actions.decideReview.update, { args: [{ actor: reviewer, decision: 'approve' }] }),
    ),
  ).toBe('the review is held by reviewer:reviewer-2');

  await handle.executeUpdate(actions.releaseReview.update, { args: [{ actor: secondReviewer }] });
  status = await handle.query(statusQuery);
  expect(status.review.assignee).toBeUndefined();

  // After a first approval, its author can neither take the review again nor be given it.
  await approve(handle, reviewer);
  expect(await refused(claim(handle, reviewer))).toMatch(/different person/);
  expect(
    await refused(
      handle.executeUpdate(actions.reassignReview.update, { args: [{ actor: reviewLead, to: reviewer }] }),
    ),
  ).toMatch(/four eyes/);
  status = await handle.query(statusQuery);
  expect(status.audit.map((e) => e.action)).toEqual(
    expect.arrayContaining(['review claimed', 'review reassigned', 'review released']),
  );
  // The assignment lets Temporal's visibility show who holds what (checked on the dev server).
});

test('reviewers are reminded every 3 days and review leads get the review after 14 days', async () => {
  const world = suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await suite.env.sleep(14.5 * 24 * 3600 * 1000); // reminders on days 3, 6, 9, 12; escalation on day 14
  const status = await waitForStatus(handle, (s) => !!s.review.escalatedAt, 'escalation');
  expect(await world.waitForMails('review-reminder', 4)).toHaveLength(4);
  expect(world.mailsOf('review-reminder')[0].to).toEqual(['reviewers@example.cn']);
  expect(await world.waitForMails('review-escalated')).toHaveLength(1);
  expect(world.mailsOf('review-escalated')[0].to).toEqual(['leads@example.cn']);
  expect(status.audit.filter((e) => e.action.startsWith('reminder #')).length).toBe(4);
  expect(status.audit.some((e) => e.action === 'review escalated to review leads')).toBe(true);

  // The review lead may decide the escalated review.
  await approve(handle, reviewLead);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('escalation', handle);
});

test('a review nobody decides never expires: leads at 14 days, operators weekly once overdue, the applicant kept informed', async () => {
  const world = suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await suite.env.sleep(70.5 * 24 * 3600 * 1000); // ten weeks
  const status = await waitForStatus(
    handle,
    (s) => s.audit.filter((e) => e.action === 'review overdue: operators told').length === 8,
    'the eighth overdue notice',
  );
  expect(status.stage).toBe('review');
  expect(status.review.expiresAt).toBeUndefined();
  expect(await world.waitForMails('review-reminder', 23)).toHaveLength(23); // every 3 days
  expect(await world.waitForMails('review-escalated')).toHaveLength(1); // day 14
  const overdue = await world.waitForMails('review-overdue', 8); // days 21, 28, …, 70
  expect(overdue).toHaveLength(8);
  expect(overdue[0].to).toEqual(['operators@example.cn']);
  // Staff emails lead to the case in the console; the applicant's never do.
  expect(overdue[0].params.caseUrl).toBe(`https://console.example.cn/#enrollment=${handle.workflowId}`);
  const notes = await world.waitForMails('review-in-progress', 5); // days 14, 28, 42, 56, 70
  expect(notes).toHaveLength(5);
  expect(notes[0].to).toEqual(['wei.zhang@yunfan.example.cn']);
  expect(notes[0].params.caseUrl).toBeUndefined();
  expect(world.mailsOf('expired')).toHaveLength(0);

  await approve(handle, reviewLead);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('review-overdue', handle);
});

test('time the applicant spends answering does not count against reviewers, and an answer in time never expires it', async () => {
  const world = suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await claim(handle, reviewer);
  const day = 24 * 3600 * 1000;
  await suite.env.sleep(2 * day);
  await handle.executeUpdate(actions.decideReview.update, {
    args: [{ actor: reviewer, decision: 'request-information', reason: 'Please send the business licence' }],
  });
  await waitForStage(handle, 'information-requested');
  await suite.env.sleep(29 * day); // one day before the answer is due
  await handle.executeUpdate(actions.answerInformationRequest.update, {
    args: [{ actor: applicant, answer: 'Attached: 营业执照' }],
  });
  const resumed = await waitForStage(handle, 'review');
  // Reviewers had 2 days before the question; escalation is 12 of their days away still.
  const escalatesIn = Date.parse(resumed.review.dueAt!) - Date.parse(resumed.audit.at(-1)!.at);
  expect(escalatesIn).toBeGreaterThan(11.9 * day);
  expect(escalatesIn).toBeLessThan(12.1 * day);
  await suite.env.sleep(11 * day);
  expect(world.mailsOf('review-escalated')).toHaveLength(0);
  await suite.env.sleep(1.5 * day);
  await waitForStatus(handle, (s) => !!s.review.escalatedAt, 'the escalation');
  // Past the eight weeks after which reviews of the earlier flow expired (day 43.5 now; day 60).
  await suite.env.sleep(16.5 * day);
  const waited = await waitForStatus(handle, emailsSettled, 'emails settled');
  expect(await suite.env.currentTimeMs()).toBeGreaterThan(Date.parse(waited.review.startedAt!) + 8 * 7 * day);
  expect(world.mailsOf('expired')).toHaveLength(0);
  expect(waited.stage).toBe('review');
  expect(waited.endState).toBeUndefined();
  expect(waited.review.expiresAt).toBeUndefined();
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('answer-in-time', handle);
});
