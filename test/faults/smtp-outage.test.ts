/**
 * Fault: the mail server defers messages (451) and then is down for several seconds, stopped and
 * started again on the same port. Notification activities retry until it is back; every mail
 * arrives, re-sent ones are counted by Message-ID (the dev mailbox flags them as duplicates).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { startFaultStack, type FaultStack } from './support/fault-stack';
import { enrollments, playAll } from './support/play';
import { expectNothingLostOrDoubled, report, tally } from './support/tally';
import { WorkerProcesses } from './support/worker-process';

const N = 10;
const DEFERRED = 4;
const DOWN_MS = 6_000;
let stack: FaultStack;
let workers: WorkerProcesses;

beforeAll(async () => {
  stack = await startFaultStack({ name: 'fault-smtp' });
  workers = new WorkerProcesses(stack.config);
  workers.start();
});
afterAll(async () => {
  await workers?.killAll();
  await stack?.close();
});

test('SMTP deferring and down for a while: every mail arrives, nothing created twice', async () => {
  stack.mailbox.failNext(DEFERRED, 451, 'Try again later (test)');
  const list = enrollments(N, { provisioning: { pollEvery: '200 ms', heartbeatTimeout: '2 s' } });
  const started = Date.now();
  const run = playAll({ ...stack, deadlineMs: 150_000 }, list);
  // Down once some mail got through, so the outage falls in the middle of the run.
  for (let i = 0; i < 300 && stack.mailbox.messages().length < N; i++) await delay(100);
  const mailsBeforeOutage = stack.mailbox.messages().length;
  await stack.stopMailbox();
  await delay(DOWN_MS);
  await stack.startMailbox();
  const outcomes = await run;

  const messages = stack.mailbox.messages();
  const figures = tally('smtp-down', outcomes, stack.simulator, messages, 1);
  report(
    figures,
    `451 answers ${DEFERRED}, SMTP down ${DOWN_MS / 1000} s, ` +
      `mails ${messages.length} (${messages.length - mailsBeforeOutage} after the outage); ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  expectNothingLostOrDoubled(figures);
  // Mail was still to be sent when the server came back, or the outage was not exercised.
  expect(mailsBeforeOutage).toBeGreaterThan(0);
  expect(messages.length).toBeGreaterThan(mailsBeforeOutage);
}, 180_000);
