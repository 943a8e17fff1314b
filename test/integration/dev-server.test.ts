/**
 * The first slice on the dev server (the real Temporal server `npm start` runs): a validated start,
 * the first activities on the worker against the simulator, the status query, a signal, and the
 * search attributes operators filter by in Temporal UI.
 */
import { codeArrived } from '../../src/domain/status';
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidEnrollmentRequest } from '../../src/client/enrollments';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest } from '../fixtures';
import { start, waitForStatus } from '../harness/driver';
import { startServiceStack, type ServiceStack } from '../harness/stack';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack('dev-server');
});
afterAll(() => stack?.close());

test('an invalid application is refused before anything starts, with the field named', async () => {
  const request = enrollmentRequest();
  const bad = { ...request, organization: { ...request.organization, phone: '+1 415 555 0100' } };
  await expect(start(stack.temporal.client, stack.taskQueue, bad)).rejects.toThrow(InvalidEnrollmentRequest);
  await expect(start(stack.temporal.client, stack.taskQueue, bad)).rejects.toThrow(/organization\.phone/);
});

test('an enrollment starts, sets up its account on the worker, answers its status and takes a signal', async () => {
  const request = enrollmentRequest();
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  const status = await waitForStatus(handle, (s) => codeArrived(s), 'the first phone code');
  // The work account first; Partner Center asks for the phone check before the partner account.
  const { workAccount } = request.organization;
  expect(status.account.tenantDomain).toBe(
    `${workAccount.kind === 'new' ? workAccount.domainPrefix : '?'}.partner.onmschina.cn`,
  );
  expect(status.account.partnerAccountId).toBeUndefined();
  expect(status.phoneVerification).toMatchObject({ codesSent: 1, verified: false });

  await handle.signal(actions.requestPhoneCode.signal, { actor: applicant });
  await waitForStatus(handle, (s) => codeArrived(s, 2), 'a second code');
  expect(stack.simulator.ledger.entries().filter((e) => e.operation === 'startVerification')).toHaveLength(2);

  // Operators find it in Temporal UI by stage and company (visibility is eventually consistent).
  const query = `CspStage = 'phone-verification' AND CspCompany = 'Shanghai Yunfan Technology Co., Ltd.' AND WorkflowId = '${handle.workflowId}'`;
  let found: string[] = [];
  for (let i = 0; i < 100 && found.length === 0; i++) {
    found = [];
    for await (const run of stack.temporal.client.workflow.list({ query })) found.push(run.workflowId);
    if (found.length === 0) await delay(100);
  }
  expect(found).toEqual([handle.workflowId]);
  const description = await handle.describe();
  expect(await description.staticSummary()).toBe('CSP enrollment of Shanghai Yunfan Technology Co., Ltd.');

  await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant, reason: 'test over' }] });
  await expect(handle.result()).resolves.toEqual({ endState: 'withdrawn', reason: 'test over' });
  const mail = await stack.mailbox.waitForMessage(
    (m) => m.messageId.includes(handle.workflowId) && m.messageId.startsWith('<withdrawn.'),
  );
  expect(mail.to).toEqual(['wei.zhang@yunfan.example.cn']);
  expect((await handle.query(statusQuery)).stage).toBe('ended');
});
