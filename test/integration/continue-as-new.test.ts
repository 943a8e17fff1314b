/**
 * History stays small: past policy.history.continueAsNewAfterEvents (or when Temporal suggests
 * it) an enrollment continues as new at its next wait, carrying its whole state, and goes on as if
 * nothing happened. On the dev server: the time-skipping server stalls when runs continue as new.
 */
import { codeArrived, type EnrollmentStatus } from '../../src/domain/status';
import { messageIdFor } from '../../src/integrations/mail/mailer';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptOffer,
  approve,
  claim,
  start,
  submitApplication,
  waitForReview,
  waitForStage,
  waitForStatus,
} from '../harness/driver';
import { startServiceStack, type ServiceStack } from '../harness/stack';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack('continue-as-new');
});
afterAll(() => stack?.close());

test('an enrollment flooded with refused signals continues as new and completes', async () => {
  const request = enrollmentRequest({
    policy: { history: { continueAsNewAfterEvents: 60 }, provisioning: { pollEvery: '200 ms' } },
  });
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  const runs = (n: number) => (s: { audit: { action: string }[] }) =>
    s.audit.filter((e) => e.action === 'continued as new').length >= n;
  const flood = async () => {
    for (let i = 0; i < 20; i++)
      await handle.signal(actions.acceptAgreement.signal, { nonsense: i } as never);
  };

  await waitForStatus(handle, (s) => codeArrived(s), 'the SMS code');
  const [sms] = stack.simulator.sentCodes('+8613912345678');
  await handle.executeUpdate(actions.submitPhoneCode.update, {
    args: [{ actor: applicant, code: sms.code }],
  });
  await submitApplication(handle);
  await waitForReview(handle);
  await claim(handle, reviewer);
  await handle.executeUpdate(actions.decideReview.update, {
    args: [{ actor: reviewer, decision: 'request-information', reason: 'Which provinces do you serve?' }],
  });
  await waitForStage(handle, 'information-requested');
  await flood();
  await waitForStatus(handle, runs(1), 'a new run');
  await handle.executeUpdate(actions.answerInformationRequest.update, {
    args: [{ actor: applicant, answer: 'Shanghai, Jiangsu and Zhejiang' }],
  });
  await waitForStage(handle, 'review');
  await approve(handle, reviewer);
  await flood();
  await waitForStatus(handle, runs(2), 'another new run');
  await acceptOffer(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });

  const status = await handle.query(statusQuery);
  expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
  expect(status.review.informationRequests[0].answer).toBe('Shanghai, Jiangsu and Zhejiang');
  expect(status.audit.filter((e) => e.outcome === 'refused')).toHaveLength(40);
  expect(stack.simulator.ledger.creationCounts()).toMatchObject({
    createPartnerAccount: 1,
    recordAgreementAcceptance: 1,
    startProvisioning: 1,
  });
  const keys = [
    'account-created',
    'application-received',
    'information-requested-1',
    'approved',
    'account-ready',
    'completed',
  ];
  // One attempt across its runs: the Message-IDs of the first run's attempt, each email once.
  const mine = stack.mailbox.messages().filter((m) => m.messageId.includes(handle.workflowId));
  expect(status.attemptId).toBe(handle.firstExecutionRunId);
  expect(mine.map((m) => m.messageId).sort()).toEqual(
    keys.map((k) => messageIdFor(handle.workflowId, k, status.attemptId)).sort(),
  );
});

test('reminders, escalations and notes to the applicant carry across runs; the review never expires', async () => {
  // The review policy scaled down from days to fractions of a second, same proportions.
  const request = enrollmentRequest({
    policy: {
      phoneVerification: { required: false },
      history: { continueAsNewAfterEvents: 60 },
      review: {
        reminderEvery: '1 s',
        escalateAfter: '2500 ms',
        overdueAfter: '4 s',
        overdueRepeatEvery: '1500 ms',
        applicantUpdateEvery: '3 s',
      },
    },
  });
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  await submitApplication(handle);
  const overdue = (s: EnrollmentStatus) =>
    s.audit.filter((e) => e.action === 'review overdue: operators told').length >= 3 &&
    s.audit
      .slice(s.audit.findIndex((e) => e.action === 'stage review'))
      .some((e) => e.action === 'continued as new');
  // Generous: in a full run the shared dev server has just carried the fault suites' hundreds of runs.
  await waitForStatus(handle, overdue, 'three overdue notices and a new run', 120_000);
  await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant, reason: 'enough' }] });
  await expect(handle.result()).resolves.toEqual({ endState: 'withdrawn', reason: 'enough' });

  const status = await handle.query(statusQuery);
  const mine = stack.mailbox.messages().filter((m) => m.messageId.includes(handle.workflowId));
  const id = (key: string) => messageIdFor(handle.workflowId, key, status.attemptId);
  // Real timers: how many fit depends on the machine's load, but their numbering goes on across
  // runs (a restart at #1 would repeat a Message-ID, which the mailbox flags).
  for (const kind of ['review-reminder', 'review-overdue', 'review-in-progress']) {
    const sent = mine.filter((m) => m.messageId.startsWith(`<${kind}-`));
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.map((m) => m.messageId).sort()).toEqual(sent.map((_, i) => id(`${kind}-${i + 1}`)).sort());
  }
  expect(mine.every((m) => !m.duplicate)).toBe(true);
  expect(mine.filter((m) => m.messageId === id('review-escalated'))).toHaveLength(1);
  expect(mine.some((m) => m.messageId.startsWith('<expired'))).toBe(false);
}, 180_000);
