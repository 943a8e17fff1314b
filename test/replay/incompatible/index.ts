/**
 * A deliberately incompatible change of the enrollment workflow: it checks MPN membership before
 * setting up the account. Replaying recorded histories against it must fail.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { EnrollmentActivities } from '../../../src/activities';
import { enrollment as current } from '../../../src/workflows/enrollment';

const { checkMpnMembership } = proxyActivities<EnrollmentActivities>({ startToCloseTimeout: '30 seconds' });

export async function enrollment(...args: Parameters<typeof current>) {
  await checkMpnMembership({ mpnId: '0000000' });
  return current(...args);
}
