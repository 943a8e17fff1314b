/**
 * The guide's step 4: phone verification when Partner Center asks for it, with the organization's
 * number in China (SMS to a mobile, voice call to a landline), before the partner account exists.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, LANDLINE } from '../fixtures';
import { refusal, verifyPhone, waitForCode, waitForStage } from '../harness/driver';
import { workflowSuite } from './world';

const suite = workflowSuite('phone');

describe('phone verification as the guide says (step 4)', () => {
  // First in the file: the time-skipping server can leak its time lock when an earlier test's
  // workflow is terminated mid-step (an activity retry, say), and this test needs time to pass.
  test('at most three codes an hour', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await waitForCode(handle);
    const ask = () => handle.executeUpdate(actions.requestPhoneCode.update, { args: [{ actor: applicant }] });
    await ask();
    await ask();
    expect(await refusal(ask())).toMatch(/at most 3 codes an hour; ask again after/);
    await suite.env.sleep('61 minutes');
    await ask();
    expect(world.count('startVerification')).toBe(4);
  });

  test('skipped when Partner Center does not ask for it', async () => {
    const world = suite.useWorld({ phoneVerification: false });
    const handle = await suite.start(enrollmentRequest());
    const status = await waitForStage(handle, 'application');
    expect(status.phoneVerification).toMatchObject({ required: false, codesSent: 0 });
    expect(world.count('startVerification')).toBe(0);
    expect(status.audit.map((e) => e.action)).toContain('Partner Center did not ask for phone verification');
  });

  test('by SMS to a mobile, before the Partner Center account is created; account-created follows', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    const waiting = await waitForCode(handle);
    expect(waiting.phoneVerification).toMatchObject({ required: true, channel: 'sms' });
    expect(waiting.account.partnerAccountId).toBeUndefined();
    expect(world.count('createPartnerAccount')).toBe(0);
    expect(world.calls.find((call) => call.operation === 'startVerification')?.input).toMatchObject({
      phone: '+8613912345678',
      channel: 'sms',
    });
    await verifyPhone(handle);
    await waitForStage(handle, 'application');
    expect(world.count('createPartnerAccount')).toBe(1);
    expect(await world.waitForMails('account-created')).toHaveLength(1);
  });

  test('by voice call to the organization’s landline', async () => {
    const world = suite.useWorld();
    const request = enrollmentRequest();
    const handle = await suite.start({
      ...request,
      organization: { ...request.organization, phone: LANDLINE },
    });
    const waiting = await waitForCode(handle);
    expect(waiting.phoneVerification.channel).toBe('voice');
    expect(world.calls.find((call) => call.operation === 'startVerification')?.input).toMatchObject({
      phone: '+862168881234',
      channel: 'voice',
    });
    const answer = await handle.executeUpdate(actions.requestPhoneCode.update, {
      args: [{ actor: applicant }],
    });
    expect(answer.message).toBe('code #2 was sent by voice call');
    await verifyPhone(handle);
    await waitForStage(handle, 'application');
    await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
    await suite.record('phone-by-voice', handle);
  });

  test('two requests for a new code at once send one code', async () => {
    const world = suite.useWorld();
    const handle = await suite.start(enrollmentRequest());
    await waitForCode(handle);
    const ask = () =>
      handle
        .executeUpdate(actions.requestPhoneCode.update, { args: [{ actor: applicant }] })
        .then((result) => result.message)
        .catch((error: WorkflowUpdateFailedError) => error.cause?.message);
    const answers = await Promise.all([ask(), ask()]);
    expect(answers.filter((answer) => answer === 'code #2 was sent by SMS')).toHaveLength(1);
    expect(world.count('startVerification')).toBe(2);
  });

  test('a code the gateway could not send leaves the applicant’s request and the current code’s attempts unused', async () => {
    // Calls 2-4 fail: the answering send tries three times, then the request fails as a step.
    const world = suite.useWorld({ smsFailAt: [2, 3, 4] });
    const handle = await suite.start(enrollmentRequest());
    await waitForCode(handle);
    const submit = (code: string) =>
      handle.executeUpdate(actions.submitPhoneCode.update, { args: [{ actor: applicant, code }] });
    await expect(submit('000000')).resolves.toMatchObject({ message: 'wrong code; 4 attempts left' });
    const failed = await handle
      .executeUpdate(actions.requestPhoneCode.update, { args: [{ actor: applicant }] })
      .catch((error: unknown) => error as WorkflowUpdateFailedError);
    expect(failed).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((failed as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'StepFailed',
      message: expect.stringMatching(/code #2 could not be sent.*try again/),
    });
    // The code the applicant holds keeps the attempts it had: nothing was used up.
    expect((await handle.query(statusQuery)).phoneVerification).toMatchObject({
      codesSent: 1,
      sending: false,
      attemptsLeft: 4,
    });
    await expect(submit('000001')).resolves.toMatchObject({ message: 'wrong code; 3 attempts left' });
    // Sent on a later try, under the same number and key.
    await expect(
      handle.executeUpdate(actions.requestPhoneCode.update, { args: [{ actor: applicant }] }),
    ).resolves.toMatchObject({ message: 'code #2 was sent by SMS' });
    const status = await handle.query(statusQuery);
    expect(world.keys('startVerification')).toEqual([1, 2].map((n) => `${status.attemptId}/phone-code-${n}`));
  });
});
