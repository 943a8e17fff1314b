/**
 * The guide's step 2 — an existing work account (accepted, refused and corrected) or a new one (a
 * taken prefix corrected) — and each enrollment of an organization with its own side effects:
 * re-enrollment after a withdrawal or a rejection, a completed organization refused.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { AlreadyEnrolled } from '../../src/client/enrollments';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptAgreement,
  approve,
  claim,
  submitApplication,
  throughToReview,
  verifyPhone,
  waitForCode,
  waitForReview,
  waitForStage,
  waitForStatus,
  refusal,
} from '../harness/driver';
import type { FakeWorld } from '../harness/fakes';
import { workflowSuite } from './world';

const suite = workflowSuite('work-account');

const ADMIN = 'wei.zhang@yunfan.example.cn';

function withWorkAccount(
  workAccount: { kind: 'existing'; domain: string } | { kind: 'new'; domainPrefix: string },
) {
  const request = enrollmentRequest();
  return { ...request, organization: { ...request.organization, workAccount } } as EnrollmentRequestInput;
}

const correct = (handle: WorkflowHandle, input: Record<string, unknown>) =>
  handle.executeUpdate(actions.correctAccountDetails.update, {
    args: [{ actor: applicant, ...input } as never],
  });

async function toCompletion(handle: WorkflowHandle) {
  await throughToReview(handle);
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  return handle.result();
}

describe('work account, both ways (step 2)', () => {
  test('an existing work account whose global admin Partner Center confirms is used as it is', async () => {
    const world = suite.useWorld({
      tenants: [{ domain: 'shyunfan.partner.onmschina.cn', globalAdmins: [ADMIN] }],
      phoneVerification: false,
    });
    const handle = await suite.start(
      withWorkAccount({ kind: 'existing', domain: 'shyunfan.partner.onmschina.cn' }),
    );
    await submitApplication(handle);
    await waitForReview(handle);
    const status = await handle.query(statusQuery);
    expect(status.account).toMatchObject({
      tenantId: 'pre-0',
      tenantDomain: 'shyunfan.partner.onmschina.cn',
      existing: true,
    });
    expect(world.count('createWorkAccount')).toBe(0);
    expect(world.calls.find((call) => call.operation === 'createPartnerAccount')?.input).toMatchObject({
      tenantId: 'pre-0',
    });
    expect(status.phoneVerification).toMatchObject({ required: false, codesSent: 0 });
    await approve(handle, reviewer);
    await acceptAgreement(handle);
    await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
    await suite.record('existing-work-account', handle);
  });

  test('an unknown domain and a person who is not its global admin are told to the applicant, who corrects them', async () => {
    const world = suite.useWorld({
      tenants: [{ domain: 'shyunfan.partner.onmschina.cn', globalAdmins: ['li.ming@yunfan.example.cn'] }],
    });
    const handle = await suite.start(
      withWorkAccount({ kind: 'existing', domain: 'yunfan.partner.onmschina.cn' }),
    );
    let status = await waitForStage(handle, 'account-correction');
    expect(status.account.problem).toMatchObject({
      code: 'unknown-domain',
      message: 'no work account has the domain yunfan.partner.onmschina.cn',
    });
    expect((await world.waitForMails('account-details-needed'))[0]).toMatchObject({
      to: [ADMIN],
      params: { reason: 'no work account has the domain yunfan.partner.onmschina.cn' },
    });
    // Only the applicant corrects, only what is wrong, only while it is waited for.
    expect(await refusal(correct(handle, {}))).toMatch(/name the work account, the global admin, or both/);
    expect(
      await refusal(
        handle.executeUpdate(actions.correctAccountDetails.update, {
          args: [
            { actor: reviewer, workAccount: { kind: 'existing', domain: 'shyunfan.partner.onmschina.cn' } },
          ],
        }),
      ),
    ).toMatch(/reviewer cannot act for the applicant/);

    await correct(handle, { workAccount: { kind: 'existing', domain: 'shyunfan.partner.onmschina.cn' } });
    status = await waitForStatus(
      handle,
      (s) => s.account.problem?.code === 'not-global-admin',
      'the global admin refused',
    );
    expect(status.stage).toBe('account-correction');
    expect(status.account.problem?.message).toBe(
      `${ADMIN} does not hold the global admin role of shyunfan.partner.onmschina.cn`,
    );
    expect(await world.waitForMails('account-details-needed', 2)).toHaveLength(2);

    await correct(handle, {
      globalAdmin: { firstName: 'Ming', lastName: 'Li', email: 'li.ming@yunfan.example.cn' },
    });
    await waitForCode(handle);
    status = await handle.query(statusQuery);
    expect(status.account).toMatchObject({
      existing: true,
      tenantDomain: 'shyunfan.partner.onmschina.cn',
      corrections: 2,
    });
    expect(status.account.problem).toBeUndefined();
    expect(status.globalAdmin?.email).toBe('li.ming@yunfan.example.cn');
    expect(status.audit.filter((e) => e.action === 'account details corrected')).toHaveLength(2);
    // From now on the corrected global admin is the one emails address, and the one who signs.
    await verifyPhone(handle);
    await submitApplication(handle);
    await waitForReview(handle);
    expect((await world.waitForMails('application-received'))[0].to).toEqual(['li.ming@yunfan.example.cn']);
    await handle.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
    await suite.record('existing-work-account-corrected', handle);
  });

  test('a taken domain prefix is told to the applicant, who picks another', async () => {
    const world = suite.useWorld({ takenPrefixes: ['yunfan'] });
    const handle = await suite.start(withWorkAccount({ kind: 'new', domainPrefix: 'yunfan' }));
    const status = await waitForStage(handle, 'account-correction');
    expect(status.account.problem).toMatchObject({ code: 'domain-taken' });
    expect(status.account.problem?.message).toMatch(/yunfan.partner.onmschina.cn is already registered/);
    await correct(handle, { workAccount: { kind: 'new', domainPrefix: 'yunfan-sh' } });
    await waitForCode(handle);
    const [first, second] = world.calls.filter((call) => call.operation === 'createWorkAccount');
    // The corrected prefix is another request, with its own idempotency key.
    expect(second.key).not.toBe(first.key);
    expect((await handle.query(statusQuery)).account.tenantDomain).toBe('yunfan-sh.partner.onmschina.cn');
  });

  test('account details never corrected expire with the application deadline', async () => {
    const world = suite.useWorld({ takenPrefixes: ['yunfan'] });
    const handle = await suite.start(withWorkAccount({ kind: 'new', domainPrefix: 'yunfan' }));
    await expect(handle.result()).resolves.toEqual({
      endState: 'expired',
      reason: 'the account details were not corrected before the application deadline',
    });
    expect(world.mailsOf('application-reminder').length).toBeGreaterThanOrEqual(4);
    expect(world.mailsOf('expired')).toHaveLength(1);
  });
});

describe('each enrollment its own side effects', () => {
  async function reEnroll(world: FakeWorld, first: WorkflowHandle, request: EnrollmentRequestInput) {
    const before = await first.query(statusQuery);
    const calls = world.calls.length;
    const mails = world.mails.length;
    const second = await suite.start(request);
    return {
      before,
      second,
      newCalls: () => world.calls.slice(calls),
      newMails: () => world.mails.slice(mails),
    };
  }

  test('after a withdrawal, a new enrollment with another phone gets its own code and keys; the work account it made is found, not made again', async () => {
    const world = suite.useWorld();
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await waitForCode(first);
    await first.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
    await first.result();

    const { before, second, newCalls, newMails } = await reEnroll(world, first, {
      ...request,
      organization: { ...request.organization, phone: '+86 138 0000 1111' },
    });
    await waitForCode(second);
    const after = await second.query(statusQuery);
    expect(after.attemptId).not.toBe(before.attemptId);
    // The domain is the organization's own now: found through the existing-account path.
    expect(newCalls().map((call) => call.operation)).toEqual(
      expect.arrayContaining(['createWorkAccount', 'verifyWorkAccount', 'startVerification']),
    );
    expect(after.account).toMatchObject({ existing: true, tenantDomain: before.account.tenantDomain });
    const sent = newCalls().find((call) => call.operation === 'startVerification')!;
    expect(sent.input).toMatchObject({ phone: '+8613800001111' });
    expect(sent.key).toBe(`${after.attemptId}/phone-code-1`);
    await verifyPhone(second);
    await submitApplication(second);
    await waitForReview(second);
    for (const call of newCalls().filter((c) => c.key?.includes('/')))
      expect(call.key!.startsWith(before.attemptId!)).toBe(false);
    for (const mail of newMails()) expect(mail.messageId).toContain(after.attemptId);
    expect(world.count('createPartnerAccount')).toBe(1);
  });

  test('a new enrollment naming another global admin is told that person is not the admin of its own work account, not to pick another prefix', async () => {
    const world = suite.useWorld();
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await waitForCode(first);
    await first.executeUpdate(actions.withdraw.update, { args: [{ actor: applicant }] });
    await first.result();
    const { account } = await first.query(statusQuery);

    const colleague = { firstName: 'Na', lastName: 'Li', email: 'li.na@yunfan.example.cn' };
    const { second } = await reEnroll(world, first, { ...request, globalAdmin: colleague });
    const refused = await waitForStage(second, 'account-correction');
    expect(refused.account.problem).toMatchObject({ code: 'not-global-admin' });
    expect(refused.account.problem?.message).toBe(
      `${account.tenantDomain} is already your organization's work account (an earlier enrollment created it), ` +
        'and li.na@yunfan.example.cn does not hold its global admin role: name the person who does, ' +
        'or have them make li.na@yunfan.example.cn a global admin of it and send the details again',
    );
    expect(refused.account.problem?.message).not.toMatch(/choose another prefix/);
    const [told] = await world.waitForMails('account-details-needed');
    expect(told).toMatchObject({ to: ['li.na@yunfan.example.cn'] });
    expect(told.params.reason).toBe(refused.account.problem?.message);

    // The path it names: the organization's global admin, and its own work account is found.
    await correct(second, { globalAdmin: enrollmentRequest().globalAdmin });
    await waitForCode(second);
    const found = await second.query(statusQuery);
    expect(found.account).toMatchObject({ existing: true, tenantDomain: account.tenantDomain });
    expect(world.count('createPartnerAccount')).toBe(0);
  });

  async function rejected(handle: WorkflowHandle) {
    await claim(handle, reviewer);
    await handle.executeUpdate(actions.decideReview.update, {
      args: [{ actor: reviewer, decision: 'reject', reason: 'legal name does not match the licence' }],
    });
    await handle.result();
  }

  test('after a rejection, a new enrollment with other data runs its own credit check and application, with its own emails', async () => {
    const world = suite.useWorld();
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await throughToReview(first);
    await rejected(first);
    const earlierMessageIds = world.mails.map((mail) => mail.messageId);

    const { second, newCalls, newMails } = await reEnroll(world, first, request);
    // The partner account exists (found, not created again) and needs no phone check.
    await submitApplication(
      second,
      cspApplication({
        businessProfile: {
          ...cspApplication().businessProfile,
          legalName: 'Shanghai Yunfan Technology Co Ltd',
        },
      }),
    );
    const inReview = await waitForReview(second);
    expect(world.count('createPartnerAccount')).toBe(1);
    expect(world.count('startVerification')).toBe(1);
    const operations = newCalls().map((call) => call.operation);
    expect(operations).toEqual(expect.arrayContaining(['submitCspApplication', 'checkSolvency']));
    expect(world.keys('checkSolvency')).toEqual([
      expect.stringMatching(/\/credit-check$/),
      `${inReview.attemptId}/credit-check`,
    ]);
    expect(new Set(world.keys('checkSolvency')).size).toBe(2);
    expect(inReview.review.credit?.reportReference).toBe(`CR-${inReview.attemptId}/credit-check`);
    // Its own emails: every Message-ID names the new attempt, none is an earlier one.
    const mine = newMails();
    expect(mine.map((mail) => mail.template)).toEqual(expect.arrayContaining(['application-received']));
    for (const mail of mine) {
      expect(mail.messageId).toContain(inReview.attemptId);
      expect(earlierMessageIds).not.toContain(mail.messageId);
    }
  });

  test('after a rejection, a new enrollment with a new work account and phone gets its own code; the earlier one is wrong', async () => {
    const world = suite.useWorld({ codePerVerification: true });
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await waitForCode(first);
    const oldCode = world.lastCode();
    await verifyPhone(first, oldCode);
    await submitApplication(first);
    await waitForReview(first);
    await rejected(first);

    const { organization } = request;
    const prefix = (organization.workAccount as { domainPrefix: string }).domainPrefix;
    const { second, newCalls } = await reEnroll(world, first, {
      ...request,
      organization: {
        ...organization,
        phone: '+86 138 0000 2222',
        workAccount: { kind: 'new', domainPrefix: `${prefix}-cloud` },
      },
    });
    await waitForCode(second);
    const { attemptId } = await second.query(statusQuery);
    const sent = newCalls().find((call) => call.operation === 'startVerification')!;
    expect(sent).toMatchObject({ key: `${attemptId}/phone-code-1`, input: { phone: '+8613800002222' } });
    const newCode = world.lastCode();
    expect(newCode).not.toBe(oldCode);
    const answer = (code: string) =>
      second.executeUpdate(actions.submitPhoneCode.update, { args: [{ actor: applicant, code }] });
    await expect(answer(oldCode)).resolves.toMatchObject({ message: expect.stringMatching(/wrong code/) });
    await expect(answer(newCode)).resolves.toMatchObject({ message: 'phone number verified' });
    await submitApplication(second);
    const inReview = await waitForReview(second);
    expect(inReview.account.tenantDomain).toBe(`${prefix}-cloud.partner.onmschina.cn`);
    expect(world.keys('checkSolvency')).toEqual([
      expect.not.stringContaining(attemptId!),
      `${attemptId}/credit-check`,
    ]);
  });

  test('an organization whose enrollment completed cannot start another', async () => {
    suite.useWorld();
    const request = enrollmentRequest();
    const first = await suite.start(request);
    await expect(toCompletion(first)).resolves.toEqual({ endState: 'completed' });
    await expect(suite.start(request)).rejects.toThrow(AlreadyEnrolled);
  });
});
