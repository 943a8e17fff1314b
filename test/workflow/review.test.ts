/** The review stage: decisions, four eyes, the information loop, reminders, escalation, expiry. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, reviewer, reviewLead, secondReviewer } from '../fixtures';
import {
  acceptAgreement,
  approve,
  claim,
  throughToReview,
  waitForStage,
  waitForStatus,
} from '../harness/driver';
import { startWorkflowSuite, type WorkflowSuite } from './world';

let suite: WorkflowSuite;
beforeAll(async () => {
  suite = await startWorkflowSuite('review');
});
afterEach(() => suite.endTest());
afterAll(() => suite?.close());

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
  expect(world.mailsOf('information-requested')[0].params.question).toBe(
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

test('high credit risk needs two different reviewers (four eyes)', async () => {
  suite.useWorld({ credit: { riskBand: 'high', score: 430 } });
  const handle = await begin();
  const inReview = await throughToReview(handle);
  expect(inReview.review.approvalsNeeded).toBe(2);

  await expect(approve(handle, reviewLead)).resolves.toMatchObject({
    message: expect.stringContaining('1 more'),
  });
  expect((await handle.query(statusQuery)).stage).toBe('review');
  // Not even a review lead approves twice.
  const twice = await approve(handle, reviewLead).catch((e: unknown) => e);
  expect(twice).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((twice as WorkflowUpdateFailedError).cause?.message).toMatch(/four eyes/);
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
  expect(await refused(claim(handle, reviewer))).toMatch(/different reviewer/);
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
  expect(world.mailsOf('review-reminder')).toHaveLength(4);
  expect(world.mailsOf('review-reminder')[0].to).toEqual(['reviewers@example.cn']);
  expect(world.mailsOf('review-escalated')).toHaveLength(1);
  expect(world.mailsOf('review-escalated')[0].to).toEqual(['leads@example.cn']);
  expect(status.audit.filter((e) => e.action.startsWith('reminder #')).length).toBe(4);
  expect(status.audit.some((e) => e.action === 'review escalated to review leads')).toBe(true);

  // The review lead may decide the escalated review.
  await approve(handle, reviewLead);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('escalation', handle);
});

test('a review nobody decides expires after 8 weeks', async () => {
  const world = suite.useWorld();
  const handle = await begin();
  await throughToReview(handle);
  await expect(handle.result()).resolves.toEqual({
    endState: 'expired',
    reason: 'no review decision within 8 weeks',
  });
  expect(world.mailsOf('review-reminder')).toHaveLength(18);
  expect(world.mailsOf('review-escalated')).toHaveLength(1);
  expect(world.mailsOf('expired')).toHaveLength(1);
  await suite.record('review-expiry', handle);
});
