/**
 * Running enrollments outlive deploys. One started by the earlier code and waiting in review is
 * picked up by today's worker: it replays in the earlier flow, then moves to the guide's flow
 * (continue-as-new) at its next reminder or at its expiry, whichever comes first — where its
 * review no longer expires, and its clocks go on without catching up on what they missed.
 */
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { createActivities } from '../../src/activities';
import { emailsSettled, type EnrollmentStatus } from '../../src/domain/status';
import { bundleWorkflows } from '../../src/worker/bundle';
import { createEnrollmentWorker } from '../../src/worker/create-worker';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptOffer,
  approve,
  claim,
  submitApplication,
  verifyPhone,
  waitForReview,
  waitForStage,
  waitForStatus,
} from '../harness/driver';
import { FakeWorld } from '../harness/fakes';
import { startTimeSkipping, uniqueTaskQueue, workflowBundlePath } from '../harness/temporal';
import { recordHistory, untilIdle } from './world';

const DAY = 24 * 3600 * 1000;
let env: TestWorkflowEnvironment;
let earlierCode: string;
beforeAll(async () => {
  earlierCode = await bundleWorkflows(require.resolve('./support/earlier-code'));
}, 120_000);
// Each test continues a run as new on the time-skipping server, and waits for that before it
// queries (movedToGuideFlow); under load a test takes up to half a minute. Under heavy load the
// test server now and then rejects the worker's completion of the task that continues the run
// as new ("invalid history builder") and never hands that task out again, which locks its clock
// for good. Every wait here is bounded and names what it waited for; such a test is run once
// more, its first error printed, on a server of its own: each attempt starts one (a few seconds)
// so that a stalled server never carries over into the retry or the next test.
beforeEach(async () => {
  env = await startTimeSkipping();
}, 120_000);
afterEach(() => env?.teardown());
jest.setTimeout(150_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * An enrollment started by the earlier code and taken by it to review; then the deploy: `play`
 * runs with today's worker on the same task queue.
 */
async function inReviewThenDeploy(
  policy: Record<string, unknown>,
  play: (handle: WorkflowHandleWithFirstExecutionRunId, world: FakeWorld) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('migration');
  const world = new FakeWorld();
  const activities = createActivities(world.dependencies());
  const earlier = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    activities,
    workflowBundle: { code: earlierCode },
    // No sticky queue: the time-skipping server never hands a stopped worker's sticky tasks on.
    maxCachedWorkflows: 0,
  });
  // The earlier request: the prefix on the organization, the mobile on the global admin.
  const { organization, globalAdmin } = enrollmentRequest();
  const request = {
    organization: {
      name: organization.name,
      registrationNumber: organization.registrationNumber,
      domainPrefix: `yunfan-${organization.registrationNumber.slice(8).toLowerCase()}`,
    },
    globalAdmin: { ...globalAdmin, mobile: '+8613912345678' },
    locale: 'zh-CN',
    policy,
  };
  const handle = await earlier.runUntil(async () => {
    const started = await env.client.workflow.start('enrollment', {
      taskQueue,
      workflowId: `enrollment-${organization.registrationNumber}`,
      args: [request],
    });
    await verifyPhone(started);
    await submitApplication(started);
    await waitForReview(started);
    // The earlier worker stops with nothing under way: a task handed to its last poll would hold
    // the time-skipping server's clock until the task timed out.
    await untilIdle(started, 20_000);
    return started;
  });
  const today = await createEnrollmentWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities,
    workflowBundlePath: workflowBundlePath(),
  });
  await today.runUntil(() => play(handle, world));
}

/**
 * The status once the run has continued as new into the guide's flow. Its new run is awaited
 * first, by describing (no worker involved): a query reaching the time-skipping server while the
 * earlier run closes goes unanswered, and the task it leaves behind keeps the server from
 * skipping time for good (configuration's hours then pass in real time).
 */
async function movedToGuideFlow(handle: WorkflowHandleWithFirstExecutionRunId) {
  const deadline = Date.now() + 60_000;
  while ((await handle.describe()).runId === handle.firstExecutionRunId) {
    if (Date.now() > deadline) throw new Error('the run did not continue as new within 60 s');
    await delay(50);
  }
  return waitForStatus(
    handle,
    (s) => s.audit.some((e) => e.action === 'review moved to the guide flow') && emailsSettled(s),
    'the move to the guide flow',
  );
}

/** The review's reminders and notes so far, by template. */
const reviewMails = (world: FakeWorld) => ({
  reminders: world.mailsOf('review-reminder').length,
  escalated: world.mailsOf('review-escalated').length,
  overdue: world.mailsOf('review-overdue').length,
  notes: world.mailsOf('review-in-progress').length,
});

async function approvedAndCompleted(handle: WorkflowHandle, world: FakeWorld) {
  await approve(handle, reviewer);
  await acceptOffer(handle);
  const result = env.client.withDeadline(Date.now() + 60_000, () => handle.result());
  await expect(result).resolves.toEqual({ endState: 'completed' });
  expect(world.mailsOf('expired')).toHaveLength(0);
}

/** The run of the earlier flow, with RECORD_REPLAY=1 kept for the replay guard. */
const recordEarlierRun = (name: string, handle: WorkflowHandleWithFirstExecutionRunId) =>
  recordHistory(name, env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId));

const GRPC_DEADLINE_EXCEEDED = 4;
const grpcCode = (error: unknown) =>
  (error as { cause?: { code?: number } }).cause?.code ?? (error as { code?: number }).code;

const reviewStart = (status: EnrollmentStatus) => Date.parse(status.review.startedAt!);

test('a review running in the earlier flow moves to the guide’s flow at its next reminder and never expires', async () => {
  await inReviewThenDeploy({}, async (handle, world) => {
    await env.sleep(3.5 * DAY); // the first reviewer reminder
    const moved = await movedToGuideFlow(handle);
    expect(moved.stage).toBe('review');
    expect(moved.audit.some((e) => e.action === 'continued as new')).toBe(true);
    const { runId } = await handle.describe();
    expect(runId).not.toBe(handle.firstExecutionRunId);
    // The guide flow's deadlines from the review's start; the earlier flow's expiry is gone.
    expect(moved.review.expiresAt).toBeUndefined();
    expect(Date.parse(moved.dueAt!)).toBe(reviewStart(moved) + 14 * DAY);
    expect(Date.parse(moved.review.overdueAt!)).toBe(reviewStart(moved) + 21 * DAY);
    // The reminder due at the move is not sent on top of the move: the next is on day 6.
    expect(reviewMails(world)).toEqual({ reminders: 0, escalated: 0, overdue: 0, notes: 0 });

    await env.sleep(9 * 7 * DAY); // to day 66.5, past the earlier flow's eight weeks
    const status = await waitForStatus(handle, emailsSettled, 'emails settled');
    expect(status.stage).toBe('review');
    // Reminders on days 6, 9, … 66; leads on day 14; operators on days 21, 28, … 63; the
    // applicant on days 14, 28, 42, 56: each once, on its cadence.
    expect(reviewMails(world)).toEqual({ reminders: 21, escalated: 1, overdue: 7, notes: 4 });
    await approvedAndCompleted(handle, world);
  });
});

describe('a review of the earlier flow reaching its expiry moves instead of expiring', () => {
  // Its expiry (day 54 here) comes before its first reminder (day 60).
  const policy = { review: { reminderEvery: '60 days', expireAfter: '54 days' } };

  test('its expiry before its next reminder', async () => {
    await inReviewThenDeploy(policy, async (handle, world) => {
      await env.sleep(54.5 * DAY);
      const moved = await movedToGuideFlow(handle);
      expect(moved.stage).toBe('review');
      expect(moved.endState).toBeUndefined();
      expect(moved.review.expiresAt).toBeUndefined();
      expect(Date.parse(moved.dueAt!)).toBe(reviewStart(moved) + 14 * DAY);
      // Escalated in the earlier flow on day 14; nothing sent for the operators' and the
      // applicant's times it missed (days 14 … 49): the next are on day 56.
      expect(reviewMails(world)).toEqual({ reminders: 0, escalated: 1, overdue: 0, notes: 0 });
      await env.sleep(7 * DAY); // to day 61.5
      await waitForStatus(handle, emailsSettled, 'emails settled');
      expect(reviewMails(world)).toEqual({ reminders: 1, escalated: 1, overdue: 1, notes: 1 });
      await approvedAndCompleted(handle, world);
      await recordEarlierRun('earlier-flow-review-expiry-moves', handle);
    });
  });

  test('a question answered after the expiry', async () => {
    await inReviewThenDeploy(policy, async (handle, world) => {
      await env.sleep(30 * DAY);
      await claim(handle, reviewer);
      await handle.executeUpdate(actions.decideReview.update, {
        args: [{ actor: reviewer, decision: 'request-information', reason: 'Please send the licence' }],
      });
      await waitForStage(handle, 'information-requested');
      await env.sleep(28 * DAY); // the answer is due on day 60; the review expired on day 54
      // The answer's update completes in the task that continues the run as new: the
      // time-skipping server now and then never reports that outcome, so the answer is
      // awaited a while only; the new run's status shows whether it landed.
      await env.client
        .withDeadline(Date.now() + 10_000, () =>
          handle.executeUpdate(actions.answerInformationRequest.update, {
            args: [{ actor: applicant, answer: 'Attached' }],
          }),
        )
        .catch((error: unknown) => {
          if (grpcCode(error) !== GRPC_DEADLINE_EXCEEDED) throw error;
        });
      const moved = await movedToGuideFlow(handle);
      expect(moved.stage).toBe('review');
      expect(moved.endState).toBeUndefined();
      expect((await handle.query(statusQuery)).review.informationRequests[0].answer).toBe('Attached');
      await approvedAndCompleted(handle, world);
      await recordEarlierRun('earlier-flow-answer-after-expiry', handle);
    });
  });
});
