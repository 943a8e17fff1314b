import { enrollmentRequest } from '../fixtures';
import { acceptAgreement, approve, start, throughToReview } from '../harness/driver';
import { statusQuery } from '../../src/workflows/definitions';
import { reviewer } from '../fixtures';
import { startWorkflowSuite, type WorkflowSuite } from './world';

let suite: WorkflowSuite;
beforeAll(async () => {
  suite = await startWorkflowSuite('happy-path');
});
afterAll(() => suite?.close());

test('an enrollment runs from account setup to a provisioned account (time-skipping server)', async () => {
  const world = suite.useWorld();
  const handle = await start(suite.env.client, suite.taskQueue, enrollmentRequest());
  await throughToReview(handle);
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('happy-path', handle);

  const status = await handle.query(statusQuery);
  expect(status.stage).toBe('ended');
  expect(status.provisioning.state).toBe('ready');
  expect(world.count('createPartnerAccount')).toBe(1);
  expect(world.mails.map((m) => m.template)).toEqual([
    'account-created',
    'application-received',
    'approved',
    'account-ready',
  ]);
});
