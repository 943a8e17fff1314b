/**
 * The guide's step 6, note: "configuring your Partner Center account may take several hours".
 * Provisioning is started and followed until ready, a few attempts at most; then the global admin
 * is told to sign in, with the guide's getting-started tasks.
 */
import { durationMs } from '../../domain/enrollment';
import { GETTING_STARTED_TASKS } from '../../domain/getting-started';
import { followProvisioning, withSummary } from '../activities';
import { iso, type Enrollment } from '../context';
import { holdForOperator, inStep } from '../incidents';

export async function provision(e: Enrollment): Promise<void> {
  const { status, policy } = e;
  const provisioning = status.provisioning;
  if (status.stage !== 'provisioning')
    e.enterStage('provisioning', Date.now() + durationMs(policy.provisioning.timeout));
  const awaitProvisioning = followProvisioning(
    policy.provisioning.timeout,
    policy.provisioning.heartbeatTimeout,
    'Follow provisioning until ready',
  );
  for (;;) {
    // The policy's attempts, and one more each time an operator retries after they failed.
    if (provisioning.attempts >= policy.provisioning.maxAttempts + (provisioning.retriesGranted ?? 0)) {
      await holdForOperator(
        e,
        'provisioning',
        `provisioning failed ${provisioning.attempts} times: ${provisioning.lastFailure ?? 'no reason given'}`,
      );
      provisioning.retriesGranted = (provisioning.retriesGranted ?? 0) + 1;
    }
    const attempt = provisioning.attempts + 1;
    provisioning.attempts = attempt;
    const started = await inStep(e, 'startProvisioning', () =>
      withSummary(
        'startProvisioning',
        `Start provisioning (attempt ${attempt})`,
      )({
        ...e.scope,
        partnerAccountId: status.account.partnerAccountId!,
        attempt,
      }),
    );
    provisioning.provisioningId = started.provisioningId;
    e.audit('system', 'provisioning started', `attempt ${attempt}`);
    const result = await inStep(e, 'followProvisioning', () =>
      awaitProvisioning({
        provisioningId: started.provisioningId,
        pollEveryMs: durationMs(policy.provisioning.pollEvery),
      }),
    );
    provisioning.state = result.state;
    if (result.state === 'ready') {
      provisioning.readyAt = iso();
      e.audit('system', 'provisioning ready');
      e.mail.send('account-ready', 'account-ready', 'applicant', {
        signInName: status.account.adminSignInName,
        tasksLeft: [...GETTING_STARTED_TASKS],
      });
      return;
    }
    provisioning.lastFailure = result.reason ?? 'no reason given';
    e.audit('system', 'provisioning failed', `attempt ${attempt}: ${provisioning.lastFailure}`);
  }
}
