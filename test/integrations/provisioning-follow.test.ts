/**
 * Following provisioning (the guide: configuring the account takes hours): Partner Center is read
 * again soon at first, then less often, and the waits heartbeat within the heartbeat timeout, so
 * a policy that reads less often than the timeout is no lost worker.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { GUIDE_LINKS } from '../../src/domain/links';
import type { PartnerCenter, ProvisioningStatus } from '../../src/integrations/contracts';

test('reads again after 1 s, then 2 s, and heartbeats every second of a wait under a 2 s heartbeat timeout', async () => {
  const readAt: number[] = [];
  const partnerCenter = {
    getProvisioningStatus(provisioningId: string): Promise<ProvisioningStatus> {
      readAt.push(Date.now());
      return Promise.resolve({ provisioningId, state: readAt.length < 3 ? 'in-progress' : 'ready' });
    },
  } as unknown as PartnerCenter;
  // Nothing but Partner Center is reached by the call below.
  const unused = () => Promise.reject(new Error('unused'));
  const activities = createActivities({
    partnerCenter,
    creditBureau: {} as never,
    sms: {} as never,
    auditLog: { append: unused, read: () => Promise.resolve([]) },
    mail: { send: unused },
    reviewers: [],
    reviewLeads: [],
    links: GUIDE_LINKS,
  });
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 2_000 });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));

  const result = (await env.run(activities.awaitProvisioning, {
    provisioningId: 'p-1',
    pollEveryMs: 3_000,
  })) as ProvisioningStatus;

  expect(result.state).toBe('ready');
  expect(readAt).toHaveLength(3);
  // Waits of 1 s and 2 s (a twelfth of 3 s is under the 1 s floor), each 1 s slice ending in a heartbeat.
  expect(readAt[1] - readAt[0]).toBeGreaterThanOrEqual(990);
  expect(readAt[2] - readAt[1]).toBeGreaterThanOrEqual(1_990);
  expect(heartbeats).toEqual([
    'in-progress',
    'in-progress',
    'in-progress',
    'in-progress',
    'in-progress',
    'ready',
  ]);
});
