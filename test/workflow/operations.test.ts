/**
 * The operators' side: a step that fails for good opens an incident instead of ending the
 * enrollment, and an operator runs it again or ends the enrollment (the applicant is told); an
 * operator moves a deadline; an email that could not be delivered is sent again. Every action is
 * audited with who and why.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { actions, searchAttributes, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptAgreement,
  approve,
  submitApplication,
  throughToReview,
  verifyPhone,
  waitForReview,
  waitForStage,
  waitForStatus,
  refusal,
} from '../harness/driver';
import { workflowSuite } from './world';

const suite = workflowSuite('operations');

const operator = { id: 'ops-1', role: 'operator' as const };
const DAY = 24 * 3600 * 1000;

const settle = (handle: WorkflowHandle, action: 'retry' | 'end', reason: string, actor = operator) =>
  handle.executeUpdate(actions.resolveIncident.update, { args: [{ actor, action, reason }] });

test('a step failing for good opens an incident; an operator runs it again and the enrollment goes on', async () => {
  const world = suite.useWorld({ failing: { createPartnerAccount: 1 } });
  const handle = await suite.start(enrollmentRequest());
  await verifyPhone(handle);
  const stuck = await waitForStatus(handle, (s) => !!s.incident, 'the incident');
  expect(stuck.stage).toBe('phone-verification');
  expect(stuck.incident).toMatchObject({
    step: 'createPartnerAccount',
    reason: expect.stringMatching(/createPartnerAccount failed: .*refused/),
  });
  expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.incident)).toBe(
    'createPartnerAccount',
  );
  const [alert] = await world.waitForMails('incident-opened');
  expect(alert).toMatchObject({ to: ['operators@example.cn'], params: { step: 'createPartnerAccount' } });
  expect(alert.params.caseUrl).toContain(handle.workflowId);

  expect(
    await refusal(settle(handle, 'retry', 'fixed', { id: 'reviewer-1', role: 'reviewer' as never })),
  ).toMatch(/only an operator/);
  await settle(handle, 'retry', 'Partner Center fixed the tenant');
  const resumed = await waitForStage(handle, 'application');
  expect(resumed.incident).toBeUndefined();
  expect(resumed.incidents).toEqual([
    expect.objectContaining({ step: 'createPartnerAccount', action: 'retry', closedBy: 'operator:ops-1' }),
  ]);
  expect(resumed.audit.map((entry) => `${entry.actor} ${entry.action}`)).toEqual(
    expect.arrayContaining(['system incident opened', 'operator:ops-1 incident: step run again']),
  );
  expect(world.count('createPartnerAccount')).toBe(2);
  expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.incident)).toBeUndefined();
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('incident-retried', handle);
});

test('an operator ends an enrollment in an incident with a reason, and the applicant is told', async () => {
  const world = suite.useWorld({ failing: { submitCspApplication: 1 } });
  const handle = await suite.start(enrollmentRequest());
  await verifyPhone(handle);
  await submitApplication(handle);
  await waitForStatus(handle, (s) => s.incident?.step === 'submitCspApplication', 'the incident');
  await settle(handle, 'end', 'the organization’s Partner Center record is blocked');
  await expect(handle.result()).resolves.toMatchObject({
    endState: 'failed',
    reason: expect.stringMatching(/The program's note: the organization’s Partner Center record is blocked$/),
  });
  const [told] = await world.waitForMails('failed');
  expect(told.to).toEqual(['wei.zhang@yunfan.example.cn']);
  expect(told.params).toMatchObject({
    failure: 'application',
    note: 'the organization’s Partner Center record is blocked',
  });
  expect(told.params.reason).not.toMatch(/submitCspApplication/);
});

test('provisioning failing all its attempts waits in an incident; a retry grants one more attempt', async () => {
  suite.useWorld({ provisioning: ['failed', 'failed', 'failed', 'ready'] });
  const handle = await suite.start(enrollmentRequest());
  await throughToReview(handle);
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  const stuck = await waitForStatus(handle, (s) => s.incident?.step === 'provisioning', 'the incident');
  expect(stuck.incident?.reason).toMatch(/provisioning failed 3 times: tenant configuration error/);
  await settle(handle, 'retry', 'region capacity restored');
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  const status = await handle.query(statusQuery);
  expect(status.provisioning).toMatchObject({ attempts: 4, state: 'ready', retriesGranted: 1 });
});

test('an operator extends the application deadline; the enrollment waits past the old one', async () => {
  const world = suite.useWorld();
  const handle = await suite.start(enrollmentRequest());
  await verifyPhone(handle);
  const waiting = await waitForStage(handle, 'application');
  const until = new Date(Date.parse(waiting.dueAt!) + 14 * DAY).toISOString();
  const extend = (actor: typeof operator | typeof applicant, at: string) =>
    handle.executeUpdate(actions.extendDeadline.update, {
      args: [{ actor, until: at, reason: 'the applicant asked' }],
    });
  expect(await refusal(extend(applicant, until))).toMatch(/only an operator/);
  expect(await refusal(extend(operator, waiting.startedAt))).toMatch(/must be later than the current one/);
  await extend(operator, until);
  const extended = await handle.query(statusQuery);
  expect(extended.dueAt).toBe(until);
  expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.dueAt)?.toISOString()).toBe(
    until,
  );
  expect(extended.audit.at(-1)).toMatchObject({ actor: 'operator:ops-1', action: 'deadline extended' });

  await suite.env.sleep(35 * DAY); // past the first deadline (30 days), before the new one
  expect((await handle.query(statusQuery)).stage).toBe('application');
  const reminders = await world.waitForMails('application-reminder', 5);
  expect(reminders.at(-1)?.params.dueAt).toBe(until);
  await submitApplication(handle);
  await waitForReview(handle);
});

test('an email refused for good is listed as undelivered; an operator sends it again', async () => {
  const world = suite.useWorld({ undeliverable: ['application-received'] });
  const handle = await suite.start(enrollmentRequest());
  await verifyPhone(handle);
  await submitApplication(handle);
  const listed = await waitForStatus(handle, (s) => !!s.undelivered?.length, 'the undelivered email');
  expect(listed.undelivered).toEqual([
    expect.objectContaining({
      key: 'application-received',
      template: 'application-received',
      to: 'applicant',
    }),
  ]);
  expect(listed.stage).toBe('review'); // the flow went on without it
  const resend = (key: string) =>
    handle.executeUpdate(actions.resendNotification.update, { args: [{ actor: operator, key }] });
  expect(await refusal(resend('approved'))).toMatch(/no undelivered email with the key approved/);
  await resend('application-received');
  await world.waitForMails('application-received');
  // The listing goes with the re-send; the audit's "sent" comes when the send is done.
  const after = await waitForStatus(
    handle,
    (s) =>
      !s.undelivered?.length && s.audit.some((entry) => entry.action === 'email application-received sent'),
    'delivered',
  );
  expect(after.audit.map((entry) => entry.action)).toEqual(
    expect.arrayContaining([
      'email application-received undelivered',
      'email sent again',
      'email application-received sent',
    ]),
  );
});

test('an undelivered email waits for an operator through continue-as-new, and is sent once when re-sent', async () => {
  const world = suite.useWorld({ undeliverable: ['application-received'] });
  const handle = await suite.start(
    enrollmentRequest({
      policy: { history: { continueAsNewAfterEvents: 200 }, review: { reminderEvery: '1 hour' } },
    }),
  );
  const runs = (s: { audit: { action: string }[] }) =>
    s.audit.filter((entry) => entry.action === 'continued as new').length;
  /** Hourly reminders grow the history until the enrollment continues as new, carrying its outbox. */
  const continueAsNew = async () => {
    const before = runs(await handle.query(statusQuery));
    for (let hours = 0; runs(await handle.query(statusQuery)) === before; hours++) {
      if (hours > 48) throw new Error('the enrollment did not continue as new');
      await suite.env.sleep('1 hour');
    }
    return waitForStatus(handle, (s) => !s.emailsInFlight?.length, 'emails settled');
  };
  await verifyPhone(handle);
  await submitApplication(handle);
  await waitForStatus(handle, (s) => !!s.undelivered?.length, 'the undelivered email');
  const continued = await continueAsNew();
  expect(continued.undelivered?.map((entry) => entry.key)).toEqual(['application-received']);
  expect(world.mailsOf('application-received')).toHaveLength(0);

  await handle.executeUpdate(actions.resendNotification.update, {
    args: [{ actor: operator, key: 'application-received' }],
  });
  await world.waitForMails('application-received');
  await waitForStatus(handle, (s) => !s.undelivered?.length, 'delivered');
  const later = await continueAsNew();
  expect(later.undelivered ?? []).toEqual([]);
  expect(world.mailsOf('application-received')).toHaveLength(1);
});

describe('the closing email, when it cannot be delivered', () => {
  const withdraw = (handle: WorkflowHandle) =>
    handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant, reason: 'not now' }] });

  test('the ended enrollment stays open for an operator to send it again, then closes', async () => {
    const world = suite.useWorld({ undeliverable: ['withdrawn'] });
    const handle = await suite.start(enrollmentRequest());
    await verifyPhone(handle);
    await waitForStage(handle, 'application');
    await withdraw(handle);
    const ended = await waitForStatus(handle, (s) => !!s.undelivered?.length, 'the undelivered email');
    expect(ended).toMatchObject({ stage: 'ended', endState: 'withdrawn' });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.executeUpdate(actions.resendNotification.update, {
      args: [{ actor: operator, key: 'withdrawn' }],
    });
    await expect(handle.result()).resolves.toMatchObject({ endState: 'withdrawn' });
    expect(world.mailsOf('withdrawn')).toHaveLength(1);
    const closed = await handle.query(statusQuery);
    expect(closed.undelivered ?? []).toEqual([]);
    expect(closed.audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['undelivered emails wait for an operator', 'email sent again']),
    );
    await suite.record('closing-email-resent', handle);
  });

  test('without a re-send it closes when the policy’s window has passed, the email still listed', async () => {
    const world = suite.useWorld({ undeliverable: ['withdrawn'] });
    const handle = await suite.start(
      enrollmentRequest({ policy: { notifications: { resendWindowAfterEnd: '3 days' } } }),
    );
    await verifyPhone(handle);
    await waitForStage(handle, 'application');
    await withdraw(handle);
    await waitForStatus(handle, (s) => !!s.undelivered?.length, 'the undelivered email');
    await suite.env.sleep('2 days');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await suite.env.sleep('2 days');
    await expect(handle.result()).resolves.toMatchObject({ endState: 'withdrawn' });
    const closed = await handle.query(statusQuery);
    expect(closed.undelivered?.map((entry) => entry.key)).toEqual(['withdrawn']);
    expect(closed.audit.at(-1)).toMatchObject({
      action: 'closed with undelivered emails',
      detail: 'withdrawn',
    });
    expect(world.mailsOf('withdrawn')).toHaveLength(0);
  });
});
