/**
 * Every other path of an enrollment: phone verification, deadlines, business refusals,
 * agreement lapse, provisioning retries, withdrawal at each waiting stage, refused input.
 */
import { WorkflowNotFoundError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { EnrollmentAlreadyRunning } from '../../src/client/enrollments';
import { applicantView, CREDIT_DECLINED_FOR_APPLICANT } from '../../src/domain/applicant-view';
import { WITHDRAWABLE_STAGES, type Stage } from '../../src/domain/status';
import { failureReason } from '../../src/domain/failure-causes';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../fixtures';
import { AGREEMENT_OFFER } from '../harness/fakes';
import {
  acceptAgreement,
  acceptOffer,
  claim,
  approve,
  submitApplication,
  throughToReview,
  verifyPhone,
  waitForCode,
  waitForOffer,
  waitForStage,
  waitForStatus,
  refusal,
} from '../harness/driver';
import { workflowSuite } from './world';

const suite = workflowSuite('lifecycle');

describe('phone verification', () => {
  test('a wrong code uses an attempt; after the attempts a new code is needed, and it verifies', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(
      enrollmentRequest({ policy: { phoneVerification: { maxAttemptsPerCode: 2 } } }),
    );
    await waitForStage(handle, 'phone-verification');
    const wrongCode = () =>
      handle.executeUpdate(actions.submitPhoneCode.update, { args: [{ actor: applicant, code: '111111' }] });
    await expect(wrongCode()).resolves.toMatchObject({ message: 'wrong code; 1 attempts left' });
    await wrongCode();
    expect(await refusal(wrongCode())).toMatch(/ask for a new code/);

    await handle.executeUpdate(actions.requestPhoneCode.update, { args: [{ actor: applicant }] });
    expect(world.count('startVerification')).toBe(2);
    await verifyPhone(handle);
    const status = await waitForStage(handle, 'application');
    expect(status.phoneVerification).toMatchObject({ verified: true, codesSent: 2 });
    await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
    await handle.result();
    await suite.record('phone-code-retries', handle);
  });

  test('a code expires after 10 minutes', async () => {
    suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await waitForStage(handle, 'phone-verification');
    await suite.env.sleep('11 minutes');
    expect(await refusal(verifyPhone(handle))).toMatch(/expired/);
  });

  test('phone verification is skipped when the policy does not ask for it', async () => {
    suite.useWorld();
    const handle = await suite.start(
      enrollmentRequest({ policy: { phoneVerification: { required: false } } }),
    );
    const status = await waitForStage(handle, 'application');
    expect(status.phoneVerification.codesSent).toBe(0);
  });
});

describe('application', () => {
  test('without an application in 30 days the enrollment expires, after weekly reminders', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await verifyPhone(handle);
    await expect(handle.result()).resolves.toEqual({
      endState: 'expired',
      reason: 'no application was submitted before the deadline',
    });
    expect(world.mailsOf('application-reminder')).toHaveLength(4);
    const status = await handle.query(statusQuery);
    expect(status.audit.filter((e) => e.action.startsWith('reminder #'))).toHaveLength(4);
    await suite.record('application-expiry', handle);
  });

  test('a non-member of the partner network is refused with the way to join', async () => {
    const world = suite.useWorld({
      membership: { member: false, joinUrl: 'https://partner.example.cn/mpn/join' },
    });
    const handle = await suite.start(enrollmentRequest());
    await verifyPhone(handle);
    await submitApplication(handle, cspApplication({ mpnId: '9000001' }));
    const outcome = await handle.result();
    expect(outcome).toEqual({
      endState: 'rejected',
      reason: 'MPN ID 9000001 is not a partner network member',
    });
    // The email gives the way to join the partner network (the guide's link, from configuration).
    expect(world.mailsOf('rejected')[0].params).toMatchObject({ notAMember: true });
    expect(world.count('submitCspApplication')).toBe(0);
    await suite.record('not-an-mpn-member', handle);
  });

  test('a declined credit check rejects the enrollment; the applicant is told a neutral reason', async () => {
    const world = suite.useWorld({
      credit: { decision: 'declined', reason: 'insufficient registered capital' },
    });
    const handle = await suite.start(enrollmentRequest());
    await verifyPhone(handle);
    await submitApplication(handle);
    // Staff keep the bureau's reason: the outcome, endReason, and an entry of their own.
    await expect(handle.result()).resolves.toEqual({
      endState: 'rejected',
      reason: 'credit check declined: insufficient registered capital',
    });
    const status = await handle.query(statusQuery);
    expect(status.endReason).toBe('credit check declined: insufficient registered capital');
    expect(status.audit).toContainEqual(
      expect.objectContaining({
        action: 'credit check declined',
        detail: 'credit check declined: insufficient registered capital',
      }),
    );
    // The applicant's view and email do not quote it.
    const view = applicantView(status);
    expect(view.endReason).toBe(CREDIT_DECLINED_FOR_APPLICANT);
    expect(JSON.stringify(view)).not.toMatch(/registered capital|credit/);
    const [told] = await world.waitForMails('rejected');
    expect(told.params.reason).toBe(CREDIT_DECLINED_FOR_APPLICANT);
  });
});

const PENDING_ACTIVITY_STATE_STARTED =
  temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

describe('agreement and provisioning', () => {
  test('the agreement offer lapses after 30 days, with weekly reminders', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    await waitForStage(handle, 'agreement');
    await expect(handle.result()).resolves.toEqual({
      endState: 'expired',
      reason: 'the agreement was not signed within 30 days',
    });
    expect(world.mailsOf('agreement-reminder')).toHaveLength(4);
    expect(world.mailsOf('expired')[0].params.reason).toBe('the agreement was not signed within 30 days');
    expect(world.count('recordAgreementAcceptance')).toBe(0);
    await suite.record('agreement-lapse', handle);
  });

  test('the approval shows as the agreement stage at once; acceptance waits for the offer', async () => {
    let releaseOffer!: () => void;
    suite.useWorld({ offerHeldUntil: new Promise<void>((resolve) => (releaseOffer = resolve)) });
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    // No polling: the stage changed in the workflow task that answered the decision.
    const approved = await handle.query(statusQuery);
    expect(approved.stage).toBe('agreement');
    expect(approved.agreement.version).toBeUndefined();
    const early = handle.executeUpdate(actions.acceptAgreement.update, {
      args: [
        {
          actor: applicant,
          agreementVersion: AGREEMENT_OFFER.version,
          textDigest: AGREEMENT_OFFER.textDigest,
        },
      ],
    });
    expect(await refusal(early)).toBe('the agreement offer is being prepared; try again in a moment');

    releaseOffer();
    const offered = await waitForOffer(handle);
    expect(offered.agreement).toMatchObject({ version: AGREEMENT_OFFER.version });
    await acceptOffer(handle);
    await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  });

  test('an acceptance of another agreement version is refused', async () => {
    suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    await waitForStage(handle, 'agreement');
    const wrongVersion = handle.executeUpdate(actions.acceptAgreement.update, {
      args: [{ actor: applicant, agreementVersion: '2019-01', textDigest: 'a'.repeat(64) }],
    });
    expect(await refusal(wrongVersion)).toMatch(/not the one offered/);
  });

  test('the acceptance is recorded with who, when, version and digest', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    await acceptAgreement(handle);
    await handle.result();
    const { agreement } = await handle.query(statusQuery);
    expect(agreement.acceptance).toEqual({
      signer: { name: 'Wei Zhang', email: 'wei.zhang@yunfan.example.cn' },
      acceptedBy: 'applicant:wei.zhang',
      acceptedAt: expect.any(String),
      version: agreement.version,
      textDigest: agreement.textDigest,
    });
    expect(world.count('recordAgreementAcceptance')).toBe(1);
  });

  test('provisioning that fails once is started again and then succeeds', async () => {
    const world = suite.useWorld({ provisioning: ['failed', 'ready'] });
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    await acceptAgreement(handle);
    await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
    const status = await handle.query(statusQuery);
    expect(status.provisioning).toMatchObject({ attempts: 2, state: 'ready' });
    expect(world.keys('startProvisioning')).toEqual([
      `${status.attemptId}/provisioning-1`,
      `${status.attemptId}/provisioning-2`,
    ]);
    expect(world.mailsOf('account-ready')).toHaveLength(1);
    await suite.record('provisioning-retry', handle);
  });

  test('provisioning that keeps failing waits for an operator, who may end the enrollment', async () => {
    suite.useWorld({ provisioning: ['failed', 'failed', 'failed'] });
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    await acceptAgreement(handle);
    const stuck = await waitForStatus(handle, (s) => s.incident?.step === 'provisioning', 'the incident');
    expect(stuck.stage).toBe('provisioning');
    await handle.executeUpdate(actions.resolveIncident.update, {
      args: [{ actor: { id: 'ops-1', role: 'operator' }, action: 'end', reason: 'region closed' }],
    });
    await expect(handle.result()).resolves.toEqual({
      endState: 'failed',
      reason: failureReason('provisioning', 'region closed'),
    });
    // The attempts' failures stay with staff, in the closed incident.
    expect((await handle.query(statusQuery)).incidents?.[0].reason).toBe(
      'provisioning failed 3 times: tenant configuration error',
    );
  });
});

describe('withdrawal', () => {
  /** Brings a fresh enrollment to `stage`. */
  async function enrollmentAt(stage: Stage): Promise<WorkflowHandle> {
    const base = enrollmentRequest({ policy: { provisioning: { pollEvery: '200 ms' } } });
    const handle = await suite.start(
      stage === 'account-correction'
        ? {
            ...base,
            organization: { ...base.organization, workAccount: { kind: 'new', domainPrefix: 'taken-one' } },
          }
        : base,
    );
    if (stage === 'account-correction') return (await waitForStage(handle, stage), handle);
    if (stage === 'phone-verification') return (await waitForCode(handle), handle);
    await verifyPhone(handle);
    if (stage === 'application') return (await waitForStage(handle, stage), handle);
    await submitApplication(handle);
    await waitForStatus(handle, (s) => !!s.review.credit, 'credit check');
    if (stage === 'review') return handle;
    if (stage === 'information-requested') {
      await claim(handle, reviewer);
      await handle.executeUpdate(actions.decideReview.update, {
        args: [{ actor: reviewer, decision: 'request-information', reason: 'Which provinces do you serve?' }],
      });
      return (await waitForStage(handle, stage), handle);
    }
    await approve(handle, reviewer);
    // The offer, not only the stage: withdrawing while it is fetched races the activity's completion,
    // which the time-skipping server (unlike Temporal Server) refuses to sort out.
    if (stage === 'agreement') return (await waitForOffer(handle), handle);
    await acceptAgreement(handle);
    await waitForStage(handle, stage);
    // Likewise: withdraw while provisioning is followed, and nothing else is on its way.
    await waitUntilOnly(handle, 'awaitProvisioning');
    return handle;
  }

  /** Until the one activity under way is `activity`, started (describe shows it). */
  async function waitUntilOnly(handle: WorkflowHandle, activity: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const started = pending.filter((a) => a.state === PENDING_ACTIVITY_STATE_STARTED);
      if (pending.length === 1 && started[0]?.activityType?.name === activity) return;
      if (Date.now() > deadline) throw new Error(`${activity} is not the one activity under way`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test.each(WITHDRAWABLE_STAGES)('the applicant can withdraw in stage %s', async (stage) => {
    const world = suite.useWorld({ provisioning: ['in-progress'], takenPrefixes: ['taken-one'] });
    const handle = await enrollmentAt(stage);
    await handle.executeUpdate(actions.withdraw.update, {
      args: [{ actor: applicant, reason: 'We chose another distributor' }],
    });
    await expect(handle.result()).resolves.toEqual({
      endState: 'withdrawn',
      reason: 'We chose another distributor',
    });
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('ended');
    expect(world.mailsOf('withdrawn')).toHaveLength(1);
    await suite.record(`withdrawal-in-${stage}`, handle);
    // A closed workflow takes no more updates.
    await expect(
      handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] }),
    ).rejects.toThrow(WorkflowNotFoundError);
  });

  test('a withdrawal accepted while the run hands over to the next one ends the enrollment withdrawn', async () => {
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const world = suite.useWorld({ mailHeld: { templates: ['account-created'], until } });
    // Full by the time the application is awaited: the run hands over there, first waiting for
    // the account-created email, which the mail server holds.
    const handle = await suite.start(
      enrollmentRequest({ policy: { history: { continueAsNewAfterEvents: 50 } } }),
    );
    await verifyPhone(handle);
    await waitForStage(handle, 'application');
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    expect(pending.map((a) => a.activityType?.name)).toEqual(['sendNotification']);
    expect((await handle.fetchHistory()).events!.length).toBeGreaterThan(50);

    await handle.startUpdate(actions.withdraw.update, {
      args: [{ actor: applicant, reason: 'We chose another distributor' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    expect(
      await refusal(handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] })),
    ).toMatch(/already withdrawing/);
    release();
    await expect(handle.result()).resolves.toEqual({
      endState: 'withdrawn',
      reason: 'We chose another distributor',
    });
    // That run ended it: no run after it, and the held email went out before the closing one.
    expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
    const status = await handle.query(statusQuery);
    expect(status.audit.some((entry) => entry.action === 'continued as new')).toBe(false);
    expect(world.mails.map((m) => m.template)).toEqual(['account-created', 'withdrawn']);
    await suite.record('withdrawal-during-hand-over', handle);
  });

  test('a withdrawal the last run took as it handed over (code before that fix) ends the next run as it starts', async () => {
    const world = suite.useWorld();
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await verifyPhone(first);
    const status = await waitForStage(first, 'application');
    await first.terminate('continued as new by earlier code, in this test');
    // What that run carried into the next: its state and the withdrawal it took.
    const now = await suite.env.currentTimeMs();
    const resume = {
      status,
      pending: { withdrawal: { by: `applicant:${applicant.id}`, reason: 'We chose another distributor' } },
      clock: { applicationDeadline: now + 30 * 86_400_000, reminders: {} },
    };
    const next = await suite.env.client.workflow.start('enrollment', {
      taskQueue: suite.taskQueue,
      workflowId: first.workflowId,
      args: [request, resume],
    });
    await expect(next.result()).resolves.toEqual({
      endState: 'withdrawn',
      reason: 'We chose another distributor',
    });
    expect(world.mailsOf('withdrawn')).toHaveLength(1);
    expect(world.calls.map((call) => call.operation)).not.toContain('checkMpnMembership');
  });
});

describe('refused input', () => {
  test('malformed and out-of-stage signals and updates change nothing; signals are audited as refused', async () => {
    suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await waitForStage(handle, 'phone-verification');
    const before = await handle.query(statusQuery);

    expect(await refusal(approve(handle, reviewer))).toMatch(/not possible in stage phone-verification/);
    expect(
      await refusal(
        handle.executeUpdate(actions.submitApplication.update, { args: [{ actor: applicant } as never] }),
      ),
    ).toMatch(/application/);
    expect(
      await refusal(
        handle.executeUpdate(actions.submitPhoneCode.update, { args: [{ actor: reviewer, code: '123456' }] }),
      ),
    ).toMatch(/reviewer cannot act for the applicant/);
    expect(
      await refusal(handle.executeUpdate(actions.withdraw.update, { args: ['nonsense' as never] })),
    ).toMatch(/invalid withdraw/);
    expect(await handle.query(statusQuery)).toEqual(before);

    await handle.signal(actions.decideReview.signal, { actor: reviewer, decision: 'approve' });
    await handle.signal(actions.submitPhoneCode.signal, { actor: applicant, code: 'abc' } as never);
    await handle.signal(actions.withdraw.signal, 42 as never);
    const after = await waitForStatus(
      handle,
      (s) => s.audit.length === before.audit.length + 3,
      'three refusals',
    );
    expect(after.audit.slice(-3)).toEqual([
      expect.objectContaining({
        actor: 'reviewer:reviewer-1',
        outcome: 'refused',
        action: 'decideReview (signal)',
      }),
      expect.objectContaining({
        actor: 'applicant:wei.zhang',
        outcome: 'refused',
        detail: expect.stringMatching(/^invalid submitPhoneCode: code/),
      }),
      expect.objectContaining({ actor: 'unknown', outcome: 'refused', action: 'withdraw (signal)' }),
    ]);
    expect({ ...after, audit: before.audit }).toEqual(before);
  });

  test('the status keeps the latest audit entries only (policy), however many arrive', async () => {
    suite.useWorld();
    const handle = await suite.start(enrollmentRequest({ policy: { audit: { keepLatest: 50 } } }));
    await waitForCode(handle);
    for (let i = 0; i < 80; i++)
      await handle.signal(actions.decideReview.signal, { actor: reviewer, decision: 'approve' });
    const status = await waitForStatus(
      handle,
      (s) => s.audit.filter((e) => e.action === 'decideReview (signal)').length >= 50,
      'the refusals',
    );
    expect(status.audit).toHaveLength(50);
    expect(status.audit.every((e) => e.action === 'decideReview (signal)')).toBe(true);
  });

  test('a valid signal is applied like its update', async () => {
    suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await verifyPhone(handle);
    await waitForStage(handle, 'application');
    await handle.signal(actions.submitApplication.signal, {
      actor: applicant,
      application: cspApplication(),
    });
    await waitForStatus(handle, (s) => !!s.review.credit, 'review after a signalled application');
  });

  test('a second enrollment of the same organization is refused while one runs; a new one may start after', async () => {
    suite.useWorld();
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await expect(suite.start(request)).rejects.toThrow(EnrollmentAlreadyRunning);
    await waitForStage(first, 'phone-verification');
    await first.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
    await first.result();
    const second = await suite.start(request);
    expect(second.workflowId).toBe(first.workflowId);
    await waitForStage(second, 'phone-verification');
  });

  test('an invalid start input fails the workflow with the field named', async () => {
    suite.useWorld();
    const valid = enrollmentRequest();
    const handle = await suite.env.client.workflow.start('enrollment', {
      taskQueue: suite.taskQueue,
      workflowId: `invalid-${Date.now()}`,
      args: [
        {
          ...valid,
          organization: { ...valid.organization, phone: '+1 555' },
          globalAdmin: { firstName: 'A', lastName: 'B', email: 'x' },
        },
      ],
    });
    await expect(handle.result()).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/organization\.phone.*globalAdmin\.email/) },
    });
  });
});
