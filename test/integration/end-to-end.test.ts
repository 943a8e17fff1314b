/**
 * One enrollment end to end on the real parts: dev server, worker, the simulator over HTTP and the
 * development mailbox over SMTP. Every side effect happens once.
 */
import { codeArrived } from '../../src/domain/status';
import { messageIdFor } from '../../src/integrations/mail/mailer';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptOffer,
  claim,
  start,
  submitApplication,
  waitForReview,
  waitForStatus,
} from '../harness/driver';
import { startServiceStack, type ServiceStack } from '../harness/stack';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack('end-to-end');
});
afterAll(() => stack?.close());

test('an enrollment completes end to end and the mailbox holds each message once', async () => {
  const request = enrollmentRequest({ locale: 'en-US', policy: { provisioning: { pollEvery: '200 ms' } } });
  const handle = await start(stack.temporal.client, stack.taskQueue, request);

  await waitForStatus(handle, (s) => codeArrived(s), 'the SMS code');
  const [sms] = stack.simulator.sentCodes('+8613912345678');
  const phone = await handle.executeUpdate(actions.submitPhoneCode.update, {
    args: [{ actor: applicant, code: sms.code }],
  });
  expect(phone.message).toBe('phone number verified');

  await submitApplication(handle, cspApplication());
  const inReview = await waitForReview(handle);
  expect(inReview.review.credit).toMatchObject({ decision: 'approved', reportReference: expect.any(String) });

  await claim(handle, reviewer);

  await handle.executeUpdate(actions.decideReview.update, {
    args: [{ actor: reviewer, decision: 'approve' }],
  });
  await acceptOffer(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });

  const status = await handle.query(statusQuery);
  expect(status.provisioning.state).toBe('ready');
  const creations = stack.simulator.ledger.creationCounts();
  expect(creations).toMatchObject({
    createWorkAccount: 1,
    startVerification: 1,
    createPartnerAccount: 1,
    submitCspApplication: 1,
    checkSolvency: 1,
    recordAgreementAcceptance: 1,
    startProvisioning: 1,
  });

  const expected = ['account-created', 'application-received', 'approved', 'account-ready', 'completed'];
  const mine = stack.mailbox.messages().filter((m) => m.messageId.includes(handle.workflowId));
  const messageId = (key: string) => messageIdFor(handle.workflowId, key, status.attemptId);
  expect(mine.map((m) => m.messageId).sort()).toEqual(expected.map(messageId).sort());
  expect(mine.every((m) => !m.duplicate && m.to.includes(request.globalAdmin.email))).toBe(true);
  const ready = mine.find((m) => m.messageId === messageId('account-ready'))!;
  expect(ready.text).toContain(status.account.adminSignInName);
  expect(ready.text).not.toMatch(/password/i);
});
