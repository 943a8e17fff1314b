import { applicant, enrollmentRequest, reviewer } from '../fixtures';
import { acceptAgreement, approve, start, throughToReview, waitForOffer } from '../harness/driver';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { workflowSuite } from './world';

const suite = workflowSuite('happy-path');

test('an enrollment runs the guide’s steps in its order, from a new work account to a configured account', async () => {
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
  expect(status.gettingStarted?.completedAt).toEqual(expect.any(String));
  // Step 2, phone check (step 4) before "Create account", step 5 (application, then review), step 6.
  const steps = world.calls
    .map((call) => call.operation)
    .filter((operation, i, all) => operation !== all[i - 1] && operation !== 'getProvisioningStatus');
  expect(steps).toEqual([
    'createWorkAccount',
    'phoneVerificationRequired',
    'startVerification',
    'checkVerification',
    'createPartnerAccount',
    'checkMpnMembership',
    'submitCspApplication',
    'checkSolvency',
    'getAgreementOffer',
    'recordAgreementAcceptance',
    'startProvisioning',
    'getAccountSettings',
  ]);
  // Every side effect is keyed by this enrollment attempt, never by the reusable workflow ID.
  const creating = [
    'createWorkAccount',
    'startVerification',
    'createPartnerAccount',
    'submitCspApplication',
    'checkSolvency',
    'recordAgreementAcceptance',
    'startProvisioning',
  ];
  const keys = world.calls.filter((call) => creating.includes(call.operation)).map((call) => call.key!);
  expect(keys).toHaveLength(creating.length);
  for (const key of keys) expect(key.startsWith(`${status.attemptId}/`)).toBe(true);
  expect(status.attemptId).not.toBe(handle.workflowId);
  // The application reached Partner Center; the agreement was signed by the global admin.
  expect(status.applicationReference).toEqual(expect.stringMatching(/^APP-/));
  expect(status.agreement.name).toBe('21Vianet CSP reseller agreement');
  expect(status.agreement.acceptance).toMatchObject({
    signer: { name: 'Wei Zhang', email: 'wei.zhang@yunfan.example.cn' },
    acceptedBy: `applicant:${applicant.id}`,
  });
  const recorded = world.calls.find((call) => call.operation === 'recordAgreementAcceptance')!.input;
  expect(recorded).toMatchObject({ signer: { email: 'wei.zhang@yunfan.example.cn' } });
  expect(world.mails.map((m) => m.template)).toEqual([
    'account-created',
    'application-received',
    'approved',
    'account-ready',
    'completed',
  ]);
  for (const mail of world.mails) expect(mail.messageId).toContain(status.attemptId);

  // Its patches are recorded as one, the edition (src/workflows/edition.ts): one marker and one
  // upsert of the change versions, not one of each per patch.
  const { events } = await handle.fetchHistory();
  expect(events!.filter((event) => event.markerRecordedEventAttributes)).toHaveLength(1);
  const changeVersions = events!.flatMap((event) => {
    const field =
      event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
        ?.TemporalChangeVersion;
    return field?.data ? [JSON.parse(Buffer.from(field.data).toString())] : [];
  });
  expect(changeVersions).toEqual([['edition-2026-12']]);
});

test('the agreement is signed by the enrollment’s global admin, nobody else', async () => {
  suite.useWorld();
  const handle = await start(suite.env.client, suite.taskQueue, enrollmentRequest());
  await throughToReview(handle);
  await approve(handle, reviewer);
  const { agreement } = await waitForOffer(handle);
  const sign = (signerEmail?: string) =>
    handle.executeUpdate(actions.acceptAgreement.update, {
      args: [
        {
          actor: applicant,
          agreementVersion: agreement.version!,
          textDigest: agreement.textDigest!,
          ...(signerEmail ? { signerEmail } : {}),
        },
      ],
    });
  await expect(sign()).rejects.toMatchObject({
    cause: { message: expect.stringMatching(/name the signer/) },
  });
  await expect(sign('li.na@yunfan.example.cn')).rejects.toMatchObject({
    cause: { message: expect.stringMatching(/signed by the enrollment's global admin/) },
  });
  await expect(sign('WEI.ZHANG@yunfan.example.cn')).resolves.toMatchObject({
    message: '21Vianet CSP reseller agreement signed',
  });
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
});
