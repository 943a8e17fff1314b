/**
 * The HTTP clients against the simulator over real loopback HTTP: every contract operation, the
 * deterministic outcomes, and how failures are classified for Temporal's retry decision.
 */
import { HttpCreditBureau } from '../../src/integrations/credit-bureau/http-credit-bureau';
import {
  ExternalServiceError,
  type PartnerCenter,
  type ProvisioningStatus,
  type WorkAccountCreation,
} from '../../src/integrations/contracts';
import { HttpPartnerCenter } from '../../src/integrations/partner-center/http-partner-center';
import { startSimulator, type Simulator } from '../../src/stand-ins/simulator';
import { HttpSmsGateway } from '../../src/integrations/sms/http-sms-gateway';

const REG = '91310000MA1FL8XQ3B';
let sim: Simulator;
let options: { baseUrl: string; timeoutMs: number };
let keyCounter = 0;
const key = (step: string) => `enrollment-test-${++keyCounter}/${step}`;

beforeAll(async () => {
  sim = await startSimulator({ provisioningMs: 200 });
  options = { baseUrl: sim.url, timeoutMs: 2000 };
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function created(result: WorkAccountCreation) {
  if (result.outcome !== 'created') throw new Error(`work account not created: ${result.outcome}`);
  return result;
}

async function failure(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExternalServiceError);
  return error as ExternalServiceError;
}

async function partnerAccount(pc: PartnerCenter, companyName: string) {
  const { tenantId } = created(
    await pc.createWorkAccount({
      idempotencyKey: key('wa'),
      companyName,
      domainPrefix: 'yunfan',
    }),
  );
  return pc.createPartnerAccount({
    idempotencyKey: key('pa'),
    tenantId,
    companyName,
    globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: 'wei.zhang@yunfan.example.cn' },
  });
}

async function settle(pc: PartnerCenter, provisioningId: string): Promise<ProvisioningStatus[]> {
  const seen: ProvisioningStatus[] = [];
  for (let i = 0; i < 100; i++) {
    const status = await pc.getProvisioningStatus(provisioningId);
    seen.push(status);
    if (status.state === 'ready' || status.state === 'failed') return seen;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('provisioning did not settle');
}

describe('credit bureau', () => {
  const bureau = () => new HttpCreditBureau(options);

  it('approves an ordinary company with a stable low or medium band', async () => {
    const request = {
      idempotencyKey: key('credit'),
      companyName: 'Shanghai Yunfan Technology',
      registrationNumber: REG,
    };
    const report = await bureau().checkSolvency(request);
    expect(report.decision).toBe('approved');
    expect(['low', 'medium']).toContain(report.riskBand);
    expect(report.reportReference).toMatch(/^CR_/);
    expect(report).not.toHaveProperty('reason');
    // Same input under a new key: same outcome (chosen by input, not by chance).
    const again = await bureau().checkSolvency({ ...request, idempotencyKey: key('credit') });
    expect(again.score).toBe(report.score);
  });

  it('answers high risk for "Risky" and declines "Declined" with a reason', async () => {
    const risky = await bureau().checkSolvency({
      idempotencyKey: key('c'),
      companyName: 'Risky Trading',
      registrationNumber: REG,
    });
    expect(risky).toMatchObject({ decision: 'approved', riskBand: 'high', score: 420 });
    const declined = await bureau().checkSolvency({
      idempotencyKey: key('c'),
      companyName: 'Declined Holdings',
      registrationNumber: REG,
    });
    expect(declined.decision).toBe('declined');
    expect(declined.reason).toEqual(expect.any(String));
  });
});

describe('partner center', () => {
  const pc = () => new HttpPartnerCenter(options);

  it('says whether a work account is the enrolling organization’s own, for a taken domain named with another admin', async () => {
    const { domain } = created(
      await pc().createWorkAccount({
        idempotencyKey: key('wa'),
        companyName: 'Yunfan',
        domainPrefix: 'yunfan-own',
        registrationNumber: REG,
        globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: 'wei.zhang@yunfan.example.cn' },
      }),
    );
    const check = (registrationNumber?: string) =>
      pc().verifyWorkAccount({
        domain,
        globalAdminEmail: 'li.na@yunfan.example.cn',
        ...(registrationNumber ? { registrationNumber } : {}),
      });
    await expect(check(REG)).resolves.toMatchObject({ globalAdmin: false, sameOrganization: true });
    await expect(check('91440300MA5FXXXX0B')).resolves.toMatchObject({ sameOrganization: false });
    expect(await check()).not.toHaveProperty('sameOrganization');
    // The pre-existing work accounts are registered to their organizations too (docs/simulator.md).
    await expect(
      pc().verifyWorkAccount({
        domain: 'shyunfan.partner.onmschina.cn',
        globalAdminEmail: 'li.na@yunfan.example.cn',
        registrationNumber: '91310000MA1FL8XQ4L',
      }),
    ).resolves.toMatchObject({ globalAdmin: false, sameOrganization: true });
  });

  it('creates a work account and a partner account whose admin signs in on the tenant domain', async () => {
    const account = await partnerAccount(pc(), 'Yunfan');
    expect(account.partnerAccountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(account.adminSignInName).toBe('admin@yunfan.partner.onmschina.cn');
  });

  it('checks MPN membership: IDs starting with 9 are not members', async () => {
    await expect(pc().checkMpnMembership('6123456')).resolves.toMatchObject({ member: true });
    const outsider = await pc().checkMpnMembership('9123456');
    expect(outsider.member).toBe(false);
    expect(outsider.joinUrl).toMatch(/^https:\/\//);
  });

  it('offers the agreement and records its acceptance', async () => {
    const offer = await pc().getAgreementOffer();
    expect(offer.textDigest).toMatch(/^[0-9a-f]{64}$/);
    const { partnerAccountId } = await partnerAccount(pc(), 'Yunfan');
    const record = {
      idempotencyKey: key('agreement'),
      partnerAccountId,
      acceptedBy: 'wei.zhang',
      acceptedAt: new Date().toISOString(),
      version: offer.version,
      textDigest: offer.textDigest,
    };
    await expect(pc().recordAgreementAcceptance(record)).resolves.toEqual({
      acceptanceId: expect.any(String),
    });
    // Accepting a text other than the offered one is refused for good.
    const stale = await failure(
      pc().recordAgreementAcceptance({ ...record, idempotencyKey: key('a'), textDigest: '0'.repeat(64) }),
    );
    expect(stale.retryable).toBe(false);
  });

  it('provisions pending -> in-progress -> ready', async () => {
    const { partnerAccountId } = await partnerAccount(pc(), 'Yunfan');
    const started = await pc().startProvisioning({ idempotencyKey: key('prov'), partnerAccountId });
    expect(started.state).toBe('pending');
    const states = (await settle(pc(), started.provisioningId)).map((s) => s.state);
    expect(states).toContain('in-progress');
    expect(states.at(-1)).toBe('ready');
  });

  it('fails the first provisioning of a "ProvisionFail" company, then succeeds', async () => {
    const { partnerAccountId } = await partnerAccount(pc(), 'ProvisionFail Ltd');
    const first = await pc().startProvisioning({ idempotencyKey: key('prov-1'), partnerAccountId });
    const failed = (await settle(pc(), first.provisioningId)).at(-1)!;
    expect(failed.state).toBe('failed');
    expect(failed.reason).toEqual(expect.any(String));
    const second = await pc().startProvisioning({ idempotencyKey: key('prov-2'), partnerAccountId });
    expect((await settle(pc(), second.provisioningId)).at(-1)!.state).toBe('ready');
  });

  it('creates one account for one idempotency key, however often it is sent', async () => {
    const request = { idempotencyKey: key('wa'), companyName: 'Yunfan', domainPrefix: 'yunfan' };
    const first = await pc().createWorkAccount(request);
    const second = await pc().createWorkAccount(request);
    expect(second).toEqual(first);
    expect(sim.ledger.creations('createWorkAccount')).toBe(1);
    expect(sim.ledger.replays('createWorkAccount')).toBe(1);
    // Another request for the same prefix: the domain is registered now.
    const other = await pc().createWorkAccount({ ...request, idempotencyKey: key('wa') });
    expect(other).toEqual({ outcome: 'domain-taken' });
    expect(created(first).domain).toBe('yunfan.partner.onmschina.cn');
  });
});

describe('sms gateway', () => {
  it('accepts the code the applicant received, and never "000000" or a wrong one', async () => {
    const sms = new HttpSmsGateway(options);
    const { verificationId } = await sms.startVerification({
      idempotencyKey: key('sms'),
      phone: '+8613912345678',
      locale: 'zh-CN',
    });
    // Play the applicant reading the SMS, over the simulator's HTTP control route.
    const read = (await (await fetch(`${sim.url}/__simulator/verifications/${verificationId}`)).json()) as {
      code: string;
    };
    expect(read.code).toMatch(/^\d{6}$/);
    const wrong = read.code === '123456' ? '654321' : '123456';
    await expect(sms.checkVerification({ verificationId, code: wrong })).resolves.toEqual({ valid: false });
    await expect(sms.checkVerification({ verificationId, code: '000000' })).resolves.toEqual({
      valid: false,
    });
    await expect(sms.checkVerification({ verificationId, code: read.code })).resolves.toEqual({
      valid: true,
    });
  });
});

describe('failure classification', () => {
  const pc = () => new HttpPartnerCenter(options);

  it('classifies 503 as retryable, with the wait its Retry-After asks', async () => {
    sim.faults.update({ errorRate: 1 }, Date.now());
    const error = await failure(pc().getAgreementOffer());
    expect(error).toMatchObject({
      retryable: true,
      status: 503,
      service: 'partner-center',
      retryAfterMs: 1000,
    });
  });

  it('classifies a timeout as retryable; the lost answer is replayed on retry', async () => {
    sim.faults.update({ timeoutRate: 1, hangMs: 5000 }, Date.now());
    const client = new HttpPartnerCenter({ ...options, timeoutMs: 150 });
    const request = { idempotencyKey: key('wa'), companyName: 'Yunfan', domainPrefix: 'yunfan' };
    const error = await failure(client.createWorkAccount(request));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/timed out/);
    sim.faults.update({ timeoutRate: 0 }, Date.now());
    await client.createWorkAccount(request);
    expect(sim.ledger.creations('createWorkAccount')).toBe(1);
    expect(sim.ledger.replays('createWorkAccount')).toBe(1);
  });

  it('classifies a refused connection as retryable', async () => {
    const closed = await startSimulator();
    await closed.close();
    const error = await failure(
      new HttpPartnerCenter({ baseUrl: closed.url, timeoutMs: 1000 }).getAgreementOffer(),
    );
    expect(error.retryable).toBe(true);
  });

  it('classifies a bad body as non-retryable, naming the field', async () => {
    const error = await failure(
      pc().createWorkAccount({
        idempotencyKey: key('wa'),
        companyName: 'Yunfan',
        domainPrefix: 'not a prefix!',
      }),
    );
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toContain('domainPrefix');
    expect(sim.ledger.creations('createWorkAccount')).toBe(0);
  });

  it('answers 401 without the API key when one is configured', async () => {
    const guarded = await startSimulator({ apiKey: 'sim-secret' });
    try {
      const anonymous = await failure(
        new HttpPartnerCenter({ baseUrl: guarded.url, timeoutMs: 1000 }).getAgreementOffer(),
      );
      expect(anonymous).toMatchObject({ retryable: false, status: 401 });
      const wrong = new HttpPartnerCenter({ baseUrl: guarded.url, apiKey: 'guess', timeoutMs: 1000 });
      expect((await failure(wrong.getAgreementOffer())).status).toBe(401);
      const keyed = new HttpPartnerCenter({ baseUrl: guarded.url, apiKey: 'sim-secret', timeoutMs: 1000 });
      await expect(keyed.getAgreementOffer()).resolves.toHaveProperty('version');
    } finally {
      await guarded.close();
    }
  });
});
