/**
 * How long the enrollment waits before it reads the account's configuration again. Partner Center
 * takes hours (the guide, step 6), a test tenant or the simulator seconds: the first wait is a
 * twelfth of the policy's `provisioning.pollEvery` (5 s for the default minute, never under 1 s),
 * each next one twice the last, none longer than `pollEvery`. A `pollEvery` of 1 s or less is
 * kept as it is.
 */
export function nextProvisioningCheckMs(previousWaitMs: number | undefined, pollEveryMs: number): number {
  const first = Math.max(1_000, pollEveryMs / 12);
  return Math.min(pollEveryMs, previousWaitMs === undefined ? first : previousWaitMs * 2);
}
