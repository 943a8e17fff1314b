/**
 * Fault: worker processes die with SIGKILL at random points of many enrollments (a seeded random
 * picks when and which), and a new process is started each time. Work in flight on a killed
 * worker is picked up by the others after Temporal's timeouts; nothing is lost or done twice.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { startFaultStack, type FaultStack } from './support/fault-stack';
import { enrollments, playAll, type Outcome } from './support/play';
import { between, seededRandom } from './support/seeded-random';
import { expectNothingLostOrDoubled, report, tally } from './support/tally';
import { kill, WorkerProcesses } from './support/worker-process';

const N = 100;
const SEED = 20261123;
const KILLS = 10;
let stack: FaultStack;
let workers: WorkerProcesses;

beforeAll(async () => {
  stack = await startFaultStack({ name: 'fault-sigkill' });
  workers = new WorkerProcesses(stack.config);
});
afterAll(async () => {
  await workers?.killAll();
  await stack?.close();
});

/** Until the run ends or KILLS are done: wait a random while, SIGKILL a random worker, start another. */
async function killAtRandom(run: Promise<Outcome[]>): Promise<number> {
  const random = seededRandom(SEED);
  let finished = false;
  // Watched, not awaited: the loop polls the flag; the caller awaits the run itself.
  void run.finally(() => (finished = true));
  let kills = 0;
  while (!finished && kills < KILLS) {
    await Promise.race([delay(between(random, 2_000, 6_000)), run]);
    if (finished) break;
    const alive = workers.alive;
    await kill(alive[Math.floor(random() * alive.length)]);
    workers.start();
    kills += 1;
  }
  return kills;
}

test('workers killed with SIGKILL mid-run: nothing lost, nothing created twice', async () => {
  workers.start();
  workers.start();
  const list = enrollments(N, { provisioning: { pollEvery: '200 ms', heartbeatTimeout: '2 s' } });
  const started = Date.now();
  const run = playAll({ ...stack, deadlineMs: 420_000 }, list);
  const kills = await killAtRandom(run);
  const outcomes = await run;

  const figures = tally('worker-sigkill', outcomes, stack.simulator, stack.mailbox.messages(), 1);
  report(
    figures,
    `SIGKILLs ${kills}, worker processes ${workers.started}, ` +
      `runs repaired ${outcomes.reduce((sum, o) => sum + (o.repairs ?? 0), 0)}, seed ${SEED}; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  expectNothingLostOrDoubled(figures);
  expect(kills).toBe(KILLS);
}, 480_000);
