/**
 * The guide's "Get started with Partner Center" (the account-settings tasks, followed without
 * blocking the account) and the applicant told of every end of an enrollment.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { applicantView } from '../../src/domain/applicant-view';
import { failureReason } from '../../src/domain/failure-causes';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, reviewer } from '../fixtures';
import {
  submitApplication,
  acceptAgreement,
  approve,
  throughToReview,
  verifyPhone,
  waitForCode,
  waitForStage,
  waitForStatus,
  refusal,
} from '../harness/driver';
import { workflowSuite } from './world';

const suite = workflowSuite('getting-started');

const DAY = 24 * 3600 * 1000;
const ADMIN = 'wei.zhang@yunfan.example.cn';

async function toCompletion(handle: WorkflowHandle) {
  await throughToReview(handle);
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  return handle.result();
}

describe('getting started with Partner Center', () => {
  test('the enrollment completes when the three account-settings tasks are done, with weekly reminders meanwhile', async () => {
    const world = suite.useWorld({ tasksDone: [] });
    const handle = await suite.start(enrollmentRequest());
    await throughToReview(handle);
    await approve(handle, reviewer);
    await acceptAgreement(handle);
    let status = await waitForStage(handle, 'getting-started');
    expect((await world.waitForMails('account-ready'))[0].params.tasksLeft).toEqual([
      'verify-profiles',
      'create-user-accounts',
      'customize-catalog',
    ]);
    // The account is usable all along: nothing to withdraw any more.
    expect(
      await refusal(handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] })),
    ).toMatch(/nothing left to withdraw/);
    world.completeTask('verify-profiles');
    await suite.env.sleep(8 * DAY);
    status = await waitForStatus(
      handle,
      (s) => !!s.gettingStarted?.tasks['verify-profiles'],
      'the first task',
    );
    const reminders = await world.waitForMails('getting-started-reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0].params.tasksLeft).toEqual(['create-user-accounts', 'customize-catalog']);
    world.completeTask('create-user-accounts');
    world.completeTask('customize-catalog');
    await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
    status = await handle.query(statusQuery);
    expect(status.gettingStarted?.completedAt).toEqual(expect.any(String));
    expect(world.mailsOf('completed')[0].params.tasksLeft).toEqual([]);
    await suite.record('getting-started', handle);
  });

  test('at the deadline the enrollment completes with what is left recorded', async () => {
    const world = suite.useWorld({ tasksDone: ['customize-catalog'] });
    const handle = await suite.start(enrollmentRequest());
    await expect(toCompletion(handle)).resolves.toEqual({
      endState: 'completed',
      reason: 'the account is ready; still to do in Partner Center: verify-profiles, create-user-accounts',
    });
    const status = await handle.query(statusQuery);
    expect(status.gettingStarted?.left).toEqual(['verify-profiles', 'create-user-accounts']);
    expect(world.mailsOf('getting-started-reminder')).toHaveLength(4);
    expect(world.mailsOf('completed')[0].params.tasksLeft).toEqual([
      'verify-profiles',
      'create-user-accounts',
    ]);
  });
});

describe('every end tells the applicant', () => {
  test('phone codes used up: failed, and the applicant is told what happened and what to do', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(
      enrollmentRequest({ policy: { phoneVerification: { maxCodes: 1, maxAttemptsPerCode: 1 } } }),
    );
    await verifyPhone(handle, '111111');
    await expect(handle.result()).resolves.toEqual({
      endState: 'failed',
      reason: failureReason('phone-codes-used-up'),
    });
    expect(world.mailsOf('failed')[0]).toMatchObject({
      to: [ADMIN],
      params: { failure: 'phone-codes-used-up' },
    });
  });

  test('an incident an operator ends: failed, and told in plain words; the technical detail stays with staff', async () => {
    const world = suite.useWorld({ failing: { checkMpnMembership: 1 } });
    const handle = await suite.start(enrollmentRequest());
    await verifyPhone(handle);
    await submitApplication(handle);
    await waitForStatus(handle, (s) => s.incident?.step === 'checkMpnMembership', 'the incident');
    await handle.executeUpdate(actions.resolveIncident.update, {
      args: [{ actor: { id: 'ops-1', role: 'operator' }, action: 'end', reason: 'MPN records unavailable' }],
    });
    const reason = failureReason('application', 'MPN records unavailable');
    await expect(handle.result()).resolves.toEqual({ endState: 'failed', reason });
    const [told] = await world.waitForMails('failed');
    expect(told.params).toMatchObject({ failure: 'application', note: 'MPN records unavailable' });
    const status = await handle.query(statusQuery);
    // Nothing of the step's internals (its name, the HTTP answer) reaches the applicant…
    const INTERNALS = /checkMpnMembership|\(400\)|\(fake\)/;
    expect(JSON.stringify(told.params)).not.toMatch(INTERNALS);
    expect(status.endReason).toBe(reason);
    expect(JSON.stringify(applicantView(status))).not.toMatch(INTERNALS);
    // …while staff keep it in the closed incident.
    expect(status.incidents?.[0]).toMatchObject({
      step: 'checkMpnMembership',
      reason: expect.stringMatching(/checkMpnMembership failed: .*\(400\)/),
      action: 'end',
      note: 'MPN records unavailable',
    });
  });

  test('a withdrawal tells the applicant, with the reason', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await waitForCode(handle);
    await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant, reason: 'not now' }] });
    await handle.result();
    expect(world.mailsOf('withdrawn')).toEqual([
      expect.objectContaining({ to: [ADMIN], params: expect.objectContaining({ reason: 'not now' }) }),
    ]);
  });
});
