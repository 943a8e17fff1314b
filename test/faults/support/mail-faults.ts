/**
 * What the mail server's fault suites share: enrollments whose reviewers are reminded every second
 * (so mail keeps coming during the fault), waiting for the fault to fall in the middle of a run,
 * and counting the emails the enrollments list as undelivered (given up on) at the end.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { statusQuery } from '../../../src/workflows/definitions';
import type { FaultStack } from './fault-stack';
import { enrollments, type Outcome } from './play';

/** `n` enrollments mailing all along: provisioning followed closely, reviewers reminded every second. */
export const mailingEnrollments = (n: number) =>
  enrollments(n, {
    provisioning: { pollEvery: '200 ms', heartbeatTimeout: '2 s' },
    review: { reminderEvery: '1 s', escalateAfter: '5 s' },
  });

/** Waits (at most a minute) until `count` mails arrived, so that a fault begun then falls mid-run. */
export async function someMailArrived(stack: FaultStack, count: number): Promise<number> {
  for (let i = 0; i < 600 && stack.mailbox.messages().length < count; i++) await delay(100);
  return stack.mailbox.messages().length;
}

/** The emails the enrollments list as undelivered: none, when every mail was sent in the end. */
export async function undeliveredEmails(outcomes: Outcome[]): Promise<number> {
  let undelivered = 0;
  for (const outcome of outcomes) {
    const handle = outcome.enrollment.handle;
    if (handle) undelivered += (await handle.query(statusQuery)).undelivered?.length ?? 0;
  }
  return undelivered;
}
