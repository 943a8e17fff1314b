/**
 * The simulator's own promises, over raw HTTP: Idempotency-Key required, runtime faults that
 * spare /__simulator/*, seeded fault sequences, latency, the ledger and reset.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpPartnerCenter } from '../../src/integrations/partner-center/http-partner-center';
import { startSimulator, type Simulator } from '../../src/stand-ins/simulator';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(sim.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const solvency = { companyName: 'Yunfan', registrationNumber: '91310000MA1FL8XQ3B' };

it('refuses a creating call without Idempotency-Key and creates nothing', async () => {
  const res = await post('/credit-bureau/v1/solvency-checks', solvency);
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Idempotency-Key');
  expect(sim.ledger.creations('checkSolvency')).toBe(0);
});

it('answers 404 for unknown routes and 405 for a wrong method', async () => {
  expect((await fetch(`${sim.url}/partner-center/v1/nothing`)).status).toBe(404);
  expect((await fetch(`${sim.url}/partner-center/v1/work-accounts`)).status).toBe(405);
});

it('reports the ledger over HTTP with creations per operation', async () => {
  const headers = { 'idempotency-key': 'k-1' };
  await post('/credit-bureau/v1/solvency-checks', solvency, headers);
  const replay = await post('/credit-bureau/v1/solvency-checks', solvency, headers);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  const ledger = (await (await fetch(`${sim.url}/__simulator/ledger`)).json()) as {
    entries: Array<{ operation: string; idempotencyKey: string; replayed: boolean; at: string }>;
    creations: Record<string, number>;
  };
  expect(ledger.entries.map((e) => [e.operation, e.idempotencyKey, e.replayed])).toEqual([
    ['checkSolvency', 'k-1', false],
    ['checkSolvency', 'k-1', true],
  ]);
  expect(ledger.creations.checkSolvency).toBe(1);
  await post('/__simulator/reset', {});
  expect(sim.ledger.entries()).toEqual([]);
});

it('holds an outage set at runtime until its end, while control routes keep answering', async () => {
  const set = await post('/__simulator/faults', { outageForMs: 60_000 });
  expect(set.status).toBe(200);
  expect((await fetch(`${sim.url}/partner-center/v1/agreements/current`)).status).toBe(503);
  expect((await fetch(`${sim.url}/__simulator/ledger`)).status).toBe(200);
  await post('/__simulator/faults', { outageUntil: null });
  expect((await fetch(`${sim.url}/partner-center/v1/agreements/current`)).status).toBe(200);
});

it('limits faults to the services named', async () => {
  await post('/__simulator/faults', { errorRate: 1, services: ['sms'] });
  expect((await fetch(`${sim.url}/partner-center/v1/agreements/current`)).status).toBe(200);
  const sms = await post(
    '/sms/v1/verifications',
    { phone: '+8613912345678', locale: 'en-US' },
    { 'idempotency-key': 's' },
  );
  expect(sms.status).toBe(503);
});

it('rejects invalid fault settings, naming the field', async () => {
  const res = await post('/__simulator/faults', { errorRate: 2 });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain('errorRate');
});

it('repeats the same fault sequence for the same seed', async () => {
  const pattern = async () => {
    await post('/__simulator/faults', { errorRate: 0.5, seed: 42 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await fetch(`${sim.url}/partner-center/v1/mpn/6123456`)).status);
    return statuses;
  };
  const first = await pattern();
  expect(first).toContain(503);
  expect(first).toContain(200);
  expect(await pattern()).toEqual(first);
});

it('adds the configured latency to service calls only', async () => {
  const slow = await startSimulator({ latencyMs: 150 });
  try {
    let start = Date.now();
    await fetch(`${slow.url}/partner-center/v1/agreements/current`);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    start = Date.now();
    await fetch(`${slow.url}/__simulator/ledger`);
    expect(Date.now() - start).toBeLessThan(140);
  } finally {
    await slow.close();
  }
});

describe('state file', () => {
  test('a restarted simulator keeps accounts, answers and provisioning clocks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-sim-'));
    const stateFile = path.join(dir, 'simulator.jsonl');
    try {
      const first = await startSimulator({ stateFile, provisioningMs: 200 });
      const client = new HttpPartnerCenter({ baseUrl: first.url, timeoutMs: 2000 });
      const work = await client.createWorkAccount({
        idempotencyKey: 'e-1/work',
        companyName: 'Acme',
        domainPrefix: 'acme',
      });
      const partner = await client.createPartnerAccount({
        idempotencyKey: 'e-1/partner',
        tenantId: work.outcome === 'created' ? work.tenantId : 'none',
        companyName: 'Acme',
        globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: 'wei@acme.example.cn' },
      });
      const started = await client.startProvisioning({
        idempotencyKey: 'e-1/prov',
        partnerAccountId: partner.partnerAccountId,
      });
      await first.close();

      const second = await startSimulator({ stateFile, provisioningMs: 200 });
      const again = new HttpPartnerCenter({ baseUrl: second.url, timeoutMs: 2000 });
      // The same key answers the same account; the partner account and provisioning are still known.
      await expect(
        again.createWorkAccount({ idempotencyKey: 'e-1/work', companyName: 'Acme', domainPrefix: 'acme' }),
      ).resolves.toEqual(work);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await expect(again.getProvisioningStatus(started.provisioningId)).resolves.toMatchObject({
        state: 'ready',
      });
      expect(second.ledger.creationCounts().createWorkAccount).toBe(0);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
