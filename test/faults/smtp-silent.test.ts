/**
 * Fault: the mail server goes silent for 45 s — it takes connections and never answers, as one
 * behind a dropping firewall or hung would — in the middle of sixty enrollments. Each send against
 * it waits out the worker's mailer timeout (10 s) holding an activity slot the flow shares; the
 * breaker (src/integrations/mail/breaker.ts) stops sending after a few timeouts, so a handful of
 * connections are taken instead of the mailer's five renewed every 10 s, and the flow goes on.
 * Every mail arrives afterwards, none twice, none given up.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { startFaultStack, type FaultStack } from './support/fault-stack';
import { mailingEnrollments, someMailArrived, undeliveredEmails } from './support/mail-faults';
import { playAll } from './support/play';
import { expectNothingLostOrDoubled, report, tally } from './support/tally';
import { WorkerProcesses } from './support/worker-process';

const N = 60;
const SILENT_MS = 45_000;
/**
 * The connections a silent server may take with the breaker: the mailer's 5, up to 4 more while
 * the first timeouts are being counted, a probe after each of the breaker's 10 s pauses (two or
 * three in 45 s). Without it the mailer's 5 connections are renewed at every 10 s timeout: 25 in
 * a run without the breaker.
 */
const CONNECTIONS_AT_MOST = 14;
let stack: FaultStack;
let workers: WorkerProcesses;

beforeAll(async () => {
  stack = await startFaultStack({ name: 'fault-smtp-silent' });
  workers = new WorkerProcesses(stack.config);
  workers.start();
});
afterAll(async () => {
  await workers?.killAll();
  await stack?.close();
});

test('SMTP silent for 45 s: a few connections taken, every mail arrives once', async () => {
  const list = mailingEnrollments(N);
  const started = Date.now();
  const run = playAll({ ...stack, deadlineMs: 360_000 }, list);
  // Silent once some mail got through, so the silence falls in the middle of the run.
  const mailsBefore = await someMailArrived(stack, N / 2);
  const silence = await stack.silenceMailbox();
  await delay(SILENT_MS);
  const taken = silence.connections();
  await stack.startMailbox();
  const outcomes = await run;

  const messages = stack.mailbox.messages();
  const figures = tally('smtp-silent', outcomes, stack.simulator, messages, 1);
  const undelivered = await undeliveredEmails(outcomes);
  report(
    figures,
    `SMTP silent ${SILENT_MS / 1000} s, connections taken in silence ${taken}, mails ${messages.length} ` +
      `(${messages.length - mailsBefore} after the silence began), undelivered ${undelivered}; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  expectNothingLostOrDoubled(figures);
  expect(undelivered).toBe(0);
  // The silence was met (sends went to it), and a few connections were all it took.
  expect(taken).toBeGreaterThan(0);
  expect(taken).toBeLessThanOrEqual(CONNECTIONS_AT_MOST);
  expect(messages.length).toBeGreaterThan(mailsBefore);
}, 480_000);
