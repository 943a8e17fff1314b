/**
 * The guide's paths over HTTP through the simulator, as Partner Center would answer them: an
 * organization that signs in with its existing work account, and an organization enrolling again
 * after a withdrawal. The simulator's ledger shows that no creating call of a later attempt was
 * answered from an earlier attempt's record.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { codeArrived, emailsSettled } from '../../src/domain/status';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptOffer,
  approve,
  start,
  submitApplication,
  waitForReview,
  waitForStage,
  waitForStatus,
} from '../harness/driver';
import { startServiceStack, type ServiceStack } from '../harness/stack';

let stack: ServiceStack;
beforeAll(async () => {
  // The getting-started tasks are done here by hand, as a person does them in Partner Center.
  stack = await startServiceStack('guide-paths', { tasksDoneWhenReady: false });
});
afterAll(() => stack?.close());

/**
 * The global admin does the three account-settings tasks in Partner Center (ahead of time: the
 * enrollment reads them every 6 hours by default, first when provisioning is done).
 */
async function doGettingStarted(handle: WorkflowHandle) {
  const { account } = await handle.query(statusQuery);
  for (const task of ['verify-profiles', 'create-user-accounts', 'customize-catalog'] as const)
    stack.simulator.completeTask(account.partnerAccountId!, task);
}

const ledgerOf = (attemptId: string) =>
  stack.simulator.ledger.entries().filter((entry) => entry.idempotencyKey?.startsWith(`${attemptId}/`));

test('an organization signs in with its existing work account: no work account made, no phone check, enrolled', async () => {
  const base = enrollmentRequest({ policy: { provisioning: { pollEvery: '200 ms' } } });
  const request = {
    ...base,
    organization: {
      ...base.organization,
      workAccount: { kind: 'existing' as const, domain: 'shyunfan.partner.onmschina.cn' },
    },
  };
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  await submitApplication(handle, cspApplication());
  const inReview = await waitForReview(handle);
  expect(inReview.account).toMatchObject({
    existing: true,
    tenantDomain: 'shyunfan.partner.onmschina.cn',
    adminSignInName: 'wei.zhang@shyunfan.partner.onmschina.cn',
  });
  expect(inReview.phoneVerification).toMatchObject({ required: false, codesSent: 0 });
  expect(inReview.applicationReference).toMatch(/^APP_/);
  await approve(handle, reviewer);
  await doGettingStarted(handle);
  await acceptOffer(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });

  const status = await handle.query(statusQuery);
  const calls = ledgerOf(status.attemptId!);
  expect(calls.map((call) => call.operation).sort()).toEqual(
    [
      'checkSolvency',
      'createPartnerAccount',
      'recordAgreementAcceptance',
      'startProvisioning',
      'submitCspApplication',
    ].sort(),
  );
  expect(calls.every((call) => !call.replayed && call.status < 300)).toBe(true);
  const verifications = stack.simulator.ledger.entries().filter((e) => e.operation === 'verifyWorkAccount');
  expect(verifications.length).toBeGreaterThanOrEqual(1);
});

test('an unknown domain is answered to the applicant, who corrects it to the organization’s account', async () => {
  const base = enrollmentRequest();
  const request = {
    ...base,
    organization: {
      ...base.organization,
      workAccount: { kind: 'existing' as const, domain: 'yunfan-nowhere.partner.onmschina.cn' },
    },
  };
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  const refused = await waitForStage(handle, 'account-correction');
  expect(refused.account.problem?.code).toBe('unknown-domain');
  await handle.executeUpdate(actions.correctAccountDetails.update, {
    args: [{ actor: applicant, workAccount: { kind: 'existing', domain: 'shyunfan.partner.onmschina.cn' } }],
  });
  await waitForStage(handle, 'application');
  const mail = await stack.mailbox.waitForMessage(
    (m) => m.messageId.includes(handle.workflowId) && m.messageId.startsWith('<account-details-needed-0.'),
  );
  expect(mail.text).toContain('yunfan-nowhere.partner.onmschina.cn');
  await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
  await handle.result();
});

test('enrolling again after a withdrawal: a new code to the new number, the old one refused, nothing answered from the earlier attempt', async () => {
  const request = enrollmentRequest({ policy: { provisioning: { pollEvery: '200 ms' } } });
  const first = await start(stack.temporal.client, stack.taskQueue, request);
  await waitForStatus(first, (s) => codeArrived(s), 'the first code');
  const [oldCode] = stack.simulator.sentCodes('+8613912345678').slice(-1);
  const before = await first.query(statusQuery);
  await first.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant, reason: 'wrong phone' }] });
  await first.result();

  const again = { ...request, organization: { ...request.organization, phone: '+86 138 0013 8000' } };
  const second = await start(stack.temporal.client, stack.taskQueue, again);
  expect(second.workflowId).toBe(first.workflowId);
  await waitForStatus(second, (s) => codeArrived(s), 'the new code');
  const [newCode] = stack.simulator.sentCodes('+8613800138000');
  expect(newCode).toBeDefined();
  expect(newCode.verificationId).not.toBe(oldCode.verificationId);
  const answer = (code: string) =>
    second.executeUpdate(actions.submitPhoneCode.update, { args: [{ actor: applicant, code }] });
  if (oldCode.code !== newCode.code)
    await expect(answer(oldCode.code)).resolves.toMatchObject({
      message: expect.stringMatching(/wrong code/),
    });
  await expect(answer(newCode.code)).resolves.toMatchObject({ message: 'phone number verified' });

  await submitApplication(second);
  await waitForReview(second);
  await approve(second, reviewer);
  await doGettingStarted(second);
  await acceptOffer(second);
  await expect(second.result()).resolves.toEqual({ endState: 'completed' });

  const after = await second.query(statusQuery);
  expect(after.attemptId).not.toBe(before.attemptId);
  // The work account the first attempt made is the organization's: found, not made again.
  expect(after.account).toMatchObject({ existing: true, tenantDomain: before.account.tenantDomain });
  const mine = ledgerOf(after.attemptId!);
  expect(mine.length).toBeGreaterThanOrEqual(6);
  expect(mine.filter((call) => call.replayed)).toEqual([]);
  expect(stack.simulator.ledger.creations('createWorkAccount')).toBeGreaterThanOrEqual(1);
  expect(ledgerOf(before.attemptId!).map((c) => c.operation)).toEqual(
    expect.arrayContaining(['createWorkAccount', 'startVerification']),
  );
  // Its own emails, by their own Message-IDs.
  const emails = stack.mailbox.messages().filter((m) => m.messageId.includes(after.attemptId!));
  expect(emails.map((m) => m.messageId.split('.')[0]).sort()).toEqual(
    ['<account-created', '<account-ready', '<application-received', '<approved', '<completed'].sort(),
  );
  expect(emailsSettled(after)).toBe(true);
});

test('an organization whose enrollment completed is refused a new one', async () => {
  const request = enrollmentRequest({
    policy: { phoneVerification: { required: false }, provisioning: { pollEvery: '200 ms' } },
  });
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await doGettingStarted(handle);
  await acceptOffer(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await expect(start(stack.temporal.client, stack.taskQueue, request)).rejects.toThrow(/already enrolled/);
});

test('the getting-started tasks, read from Partner Center, complete the enrollment once all are done', async () => {
  const request = enrollmentRequest({
    policy: {
      phoneVerification: { required: false },
      provisioning: { pollEvery: '200 ms' },
      gettingStarted: { pollEvery: '300 ms' },
    },
  });
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await acceptOffer(handle);
  const { account } = await waitForStage(handle, 'getting-started');
  stack.simulator.completeTask(account.partnerAccountId!, 'verify-profiles');
  stack.simulator.completeTask(account.partnerAccountId!, 'customize-catalog');
  const partly = await waitForStatus(
    handle,
    (s) => !!s.gettingStarted?.tasks['verify-profiles'] && !!s.gettingStarted.tasks['customize-catalog'],
    'two tasks seen',
  );
  expect(partly.stage).toBe('getting-started');
  stack.simulator.completeTask(account.partnerAccountId!, 'create-user-accounts');
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  const mail = await stack.mailbox.waitForMessage(
    (m) => m.messageId.includes(handle.workflowId) && m.messageId.startsWith('<completed.'),
  );
  expect(mail.html).toContain('href="https://docs.microsoft.com/partner-center/customer-accounts"');
});
