/**
 * The durable audit log: every entry of an enrollment attempt reaches it exactly once, in batches
 * (far fewer writes than entries), through continue-as-new and to the last entry of a closed run,
 * while the status keeps only the policy's latest entries.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { LoggedAuditEntry } from '../../src/integrations/audit/audit-log';
import type { EnrollmentStatus } from '../../src/domain/status';
import { statusQuery } from '../../src/workflows/definitions';
import { enrollmentRequest, reviewer } from '../fixtures';
import { acceptAgreement, approve, throughToReview, waitForStatus } from '../harness/driver';
import type { FakeWorld } from '../harness/fakes';
import { workflowSuite } from './world';

const suite = workflowSuite('audit-log');

const KEEP = 50;
const runs = (status: EnrollmentStatus) =>
  status.audit.filter((entry) => entry.action === 'continued as new').length;
const logged = (world: FakeWorld, status: EnrollmentStatus): LoggedAuditEntry[] =>
  world.auditLog.entries({ enrollmentId: status.enrollmentId, attemptId: status.attemptId! });
const numbers = (entries: { seq?: number }[]) => entries.map((entry) => entry.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function reminded(handle: WorkflowHandle, hours: number): Promise<void> {
  for (let hour = 0; hour < hours; hour++) await suite.env.sleep('1 hour');
  await waitForStatus(handle, (s) => !s.emailsInFlight?.length, 'emails settled');
}

test('every entry reaches the log once, in batches, across runs; the status keeps the latest', async () => {
  const world = suite.useWorld();
  const handle = await suite.start(
    enrollmentRequest({
      policy: {
        audit: { keepLatest: KEEP, writeEvery: 10 },
        review: { reminderEvery: '1 hour' },
        history: { continueAsNewAfterEvents: 300 },
      },
    }),
  );
  await throughToReview(handle);
  // Two entries an hour (the reminder, its email): well past what the status keeps, and runs.
  await reminded(handle, 40);
  const waiting = await handle.query(statusQuery);
  expect(runs(waiting)).toBeGreaterThan(0);
  expect(waiting.audit.length).toBeLessThanOrEqual(KEEP + 10);
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toMatchObject({ endState: 'completed' });

  const closed = await handle.query(statusQuery);
  const log = logged(world, closed);
  // All of them, once, in order: the last one too, written before the run closed.
  expect(numbers(log)).toEqual(oneTo(log.length));
  expect(log.length).toBeGreaterThan(2 * KEEP);
  expect(log.map((entry) => entry.action)).toContain('enrollment completed');
  expect(log.at(-1)).toEqual(closed.audit.at(-1));
  // Runs continued as new: their entries are in the log, the status has let go of the older ones.
  expect(log.filter((entry) => entry.action === 'continued as new').length).toBeGreaterThanOrEqual(
    runs(waiting),
  );
  // The status holds the latest entries, as the log has them.
  expect(closed.audit.length).toBe(KEEP);
  expect(closed.audit).toEqual(log.slice(-KEEP));
  // Batches, not one write per entry, and nothing written twice.
  const batches = world.auditLog.batches;
  expect(batches.length).toBeLessThan(log.length / 2);
  expect(batches.flatMap((batch) => batch.seqs)).toHaveLength(log.length);
  await suite.record('durable-audit-log', handle);
});

test('entries that have waited past writeWithin are written when the flow next waits, a batch full or not', async () => {
  const world = suite.useWorld();
  const handle = await suite.start(
    enrollmentRequest({
      policy: {
        audit: { writeEvery: 200, writeWithin: '1 hour' },
        review: { reminderEvery: '2 hours' },
      },
    }),
  );
  const review = await throughToReview(handle);
  expect(logged(world, review)).toEqual([]); // fewer than 200, none an hour old
  await reminded(handle, 2); // a reminder wakes the flow: the entries before it are two hours old
  const later = await handle.query(statusQuery);
  const log = logged(world, later);
  expect(numbers(log)).toEqual(oneTo(log.length));
  expect(log.length).toBeGreaterThanOrEqual(review.audit.length);
  expect(world.auditLog.batches.length).toBeLessThanOrEqual(2);
});
