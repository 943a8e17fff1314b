/**
 * Fault: the simulated Partner Center, credit bureau and SMS gateway answer 503 in bursts, hold
 * answers until the connection drops (the call took effect, its answer is lost), and go down
 * completely for a few seconds. Activities retry; idempotency keys keep every creation single.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { startFaultStack, type FaultStack } from './support/fault-stack';
import { enrollments, playAll } from './support/play';
import { expectNothingLostOrDoubled, report, tally } from './support/tally';
import { WorkerProcesses } from './support/worker-process';

const N = 10;
let stack: FaultStack;
let workers: WorkerProcesses;

beforeAll(async () => {
  stack = await startFaultStack({
    name: 'fault-simulator',
    // hangMs stays below the 2 s client timeout, so the dropped connection is what the client sees.
    simulator: { faults: { errorRate: 0.15, timeoutRate: 0.05, hangMs: 500, seed: 20261123 } },
  });
  workers = new WorkerProcesses(stack.config);
  workers.start();
});
afterAll(async () => {
  await workers?.killAll();
  await stack?.close();
});

/** Through the simulator's control route, as an operator of a test environment would. */
async function setFaults(change: object): Promise<void> {
  const response = await fetch(`${stack.simulator.url}/__simulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
  expect(response.status).toBe(200);
}

test('5xx bursts, dropped answers and an outage: nothing lost, nothing created twice', async () => {
  const list = enrollments(N, { provisioning: { pollEvery: '200 ms', heartbeatTimeout: '2 s' } });
  const started = Date.now();
  const run = playAll({ ...stack, deadlineMs: 150_000 }, list);
  const faulted = (kind: string) => stack.simulator.ledger.entries().filter((e) => e.fault === kind).length;
  // Down once the enrollments call the simulator, and again while no call fell into the outage (a
  // loaded machine may be between calls for two seconds).
  for (let i = 0; i < 300 && stack.simulator.ledger.entries().length < N; i++) await delay(100);
  for (let outages = 0; outages < 5 && faulted('outage') === 0; outages++) {
    await setFaults({ outageForMs: 2_000 });
    await delay(2_500);
  }
  const outcomes = await run;

  const entries = stack.simulator.ledger.entries();
  const figures = tally('simulator-5xx-timeouts', outcomes, stack.simulator, stack.mailbox.messages(), 1);
  report(
    figures,
    `calls ${entries.length}: 503 ${faulted('error')}, outage ${faulted('outage')}, ` +
      `dropped answers ${faulted('timeout')}; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  expectNothingLostOrDoubled(figures);
  // The faults really happened, or this test proves nothing.
  expect(faulted('error')).toBeGreaterThan(0);
  expect(faulted('timeout')).toBeGreaterThan(0);
  expect(faulted('outage')).toBeGreaterThan(0);
}, 180_000);
