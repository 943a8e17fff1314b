/**
 * A run that continued as new from the flow before the guide's paths carries that flow's state;
 * it goes on in the guide's flow (see also migration.test.ts for a live move).
 */
import { cspApplication, enrollmentRequest, reviewer } from '../fixtures';
import { emailsSettled } from '../../src/domain/status';
import { searchAttributes, statusQuery } from '../../src/workflows/definitions';
import { acceptAgreement, approve, waitForStatus } from '../harness/driver';
import { workflowSuite } from './world';

const suite = workflowSuite('earlier-flow');

const DAY = 24 * 3600 * 1000;
const ADMIN = 'wei.zhang@yunfan.example.cn';

describe('enrollments of the earlier flow', () => {
  /** The state the earlier flow carried into its next run, as a run in review would have. */
  function earlierRun(now: number) {
    const registrationNumber = enrollmentRequest().organization.registrationNumber as string;
    const request = {
      organization: {
        name: 'Shanghai Yunfan Technology Co., Ltd.',
        registrationNumber,
        domainPrefix: 'yunfan-old',
      },
      globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: ADMIN, mobile: '+8613912345678' },
      locale: 'zh-CN',
    };
    const startedAt = new Date(now - 20 * DAY).toISOString();
    const status = {
      enrollmentId: `enrollment-${registrationNumber}`,
      companyName: request.organization.name,
      stage: 'review',
      startedAt,
      dueAt: new Date(now + 36 * DAY).toISOString(),
      account: {
        tenantDomain: 'yunfan-old.partner.onmschina.cn',
        partnerAccountId: 'pa-old',
        adminSignInName: 'admin@x',
      },
      phoneVerification: { verified: true, codesSent: 1, attemptsLeft: 4 },
      application: cspApplication(),
      review: {
        startedAt,
        dueAt: new Date(now - 6 * DAY).toISOString(),
        escalatedAt: new Date(now - 6 * DAY).toISOString(),
        expiresAt: new Date(now + 36 * DAY).toISOString(),
        credit: { decision: 'approved', score: 720, riskBand: 'low', reportReference: 'CR-old' },
        approvalsNeeded: 1,
        approvals: [],
        informationRequests: [],
      },
      agreement: {},
      provisioning: { attempts: 0 },
      audit: [],
    };
    return { request, resume: { status, pending: {}, clock: { applicationDeadline: now, reminders: {} } } };
  }

  test('a review that continued from the earlier flow never expires, and completes in the guide’s flow', async () => {
    const world = suite.useWorld();
    const now = await suite.env.currentTimeMs();
    const { request, resume } = earlierRun(now);
    const handle = await suite.env.client.workflow.start('enrollment', {
      taskQueue: suite.taskQueue,
      workflowId: resume.status.enrollmentId,
      args: [request, resume],
    });
    // It arrives with the guide flow's deadlines, counted from its start 20 days ago: escalation
    // (6 days ago, done already) as its due date, overdue tomorrow, no expiry — not the earlier
    // flow's eight-week expiry.
    const moved = await waitForStatus(
      handle,
      (s) => s.audit.some((e) => e.action === 'review moved to the guide flow') && emailsSettled(s),
      'the review moved',
    );
    expect(moved.stage).toBe('review');
    expect(moved.review.expiresAt).toBeUndefined();
    expect(moved.review.dueAt).toBe(new Date(now - 6 * DAY).toISOString());
    expect(moved.dueAt).toBe(moved.review.dueAt);
    expect(moved.review.overdueAt).toBe(new Date(now + DAY).toISOString());
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(searchAttributes.dueAt)?.toISOString()).toBe(moved.dueAt);
    expect(attributes.get(searchAttributes.reviewDue)?.toISOString()).toBe(moved.dueAt);

    // Nothing is sent for the times it missed (reminders on days 3 … 18, a note to the applicant
    // on day 14): its clocks start at their next time still ahead.
    await suite.env.sleep(12 * 3600 * 1000);
    await waitForStatus(handle, emailsSettled, 'emails settled');
    expect(world.mailsOf('review-reminder')).toHaveLength(0);
    expect(world.mailsOf('review-in-progress')).toHaveLength(0);
    expect(world.mailsOf('review-overdue')).toHaveLength(0);
    expect(world.mailsOf('review-escalated')).toHaveLength(0); // it had escalated already
    // Then on the cadence of its start: reminders on days 21, 24, 27; overdue on days 21 and 28;
    // the applicant's note on day 28.
    await suite.env.sleep(8 * DAY);
    expect(await world.waitForMails('review-reminder', 3)).toHaveLength(3);
    expect(world.mailsOf('review-reminder').map((m) => m.key)).toEqual([
      'review-reminder-1',
      'review-reminder-2',
      'review-reminder-3',
    ]);
    expect(await world.waitForMails('review-overdue', 2)).toHaveLength(2);
    expect(await world.waitForMails('review-in-progress')).toHaveLength(1);

    await suite.env.sleep(10 * 7 * DAY); // past the earlier flow's eight weeks
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('review');
    expect(world.mailsOf('review-escalated')).toHaveLength(0);
    expect(world.mailsOf('expired')).toHaveLength(0);
    await approve(handle, reviewer);
    await acceptAgreement(handle);
    await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
    // The earlier flow's keys (its workflow ID) carry on: no attempt was recorded for it.
    expect(world.keys('recordAgreementAcceptance')).toEqual([`${handle.workflowId}/agreement`]);
    await suite.record('earlier-flow-review-moved', handle);
  });
});
