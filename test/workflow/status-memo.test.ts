/**
 * Reads without replay: the run's memo holds the status each workflow task left while the flow
 * waits (patched 'status-memo', then 'memo-between-steps'), read by describe() without running
 * workflow code, up to the run's end. While the flow is between two steps the memo may be behind,
 * and readers can tell: they ask the workflow instead.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { enrollmentRequest, reviewer } from '../fixtures';
import { acceptAgreement, approve, start, throughToReview } from '../harness/driver';
import { memoStatus, readEnrollmentStatus } from '../../src/client/status';
import type { EnrollmentStatus } from '../../src/domain/status';
import { STATUS_MEMO, statusQuery } from '../../src/workflows/definitions';
import { workflowSuite } from './world';

const suite = workflowSuite('status-memo');

const memoOf = async (handle: WorkflowHandle) =>
  (await handle.describe()).memo?.[STATUS_MEMO] as EnrollmentStatus | undefined;

/** The memo and the query agree once the tasks under way (emails beside the flow) are done. */
async function agreeing(handle: WorkflowHandle): Promise<EnrollmentStatus> {
  for (const deadline = Date.now() + 10_000; ; await delay(50)) {
    const [memo, queried] = [await memoOf(handle), await handle.query(statusQuery)];
    if (isDeepStrictEqual(memo, queried) || Date.now() > deadline) {
      expect(memo).toEqual(queried);
      return memo!;
    }
  }
}

const upsertsIn = async (handle: WorkflowHandle) =>
  ((await handle.fetchHistory()).events ?? []).filter(
    (event) => event.workflowPropertiesModifiedEventAttributes,
  ).length;

test('the memo holds the status as the last waiting task left it, to the end', async () => {
  suite.useWorld();
  const handle = await start(suite.env.client, suite.taskQueue, enrollmentRequest());
  expect((await agreeing(handle)).stage).toEqual(expect.any(String));
  await throughToReview(handle);
  expect((await agreeing(handle)).stage).toBe('review');
  // (That an update's effect reads as soon as it answered is checked on the dev server,
  // test/api/status-memo.test.ts: this server's describe() does not show a workflow task pending.)
  await approve(handle, reviewer);
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('status-memo', handle);
  // The run's last task is in it too, though the run completed in that task.
  const ended = await agreeing(handle);
  expect(ended).toMatchObject({ stage: 'ended', endState: 'completed' });
  // About once per wait, not at every task that changed the status: 12 upserts in the recorded run
  // (a few more when emails finish in tasks of their own), 25 when the memo followed every change.
  expect(await upsertsIn(handle)).toBeLessThanOrEqual(16);
});

test('while a step is under way the memo is not read as current; the workflow answers', async () => {
  let releaseOffer!: () => void;
  suite.useWorld({ offerHeldUntil: new Promise<void>((resolve) => (releaseOffer = resolve)) });
  const handle = await suite.start(enrollmentRequest());
  await throughToReview(handle);
  await agreeing(handle);
  await approve(handle, reviewer);

  // The approval's task started the agreement's offer, which Partner Center holds: the flow is
  // between two steps, its memo may be behind, and a reader does not take it for the status.
  const description = await handle.describe();
  expect(description.raw.pendingActivities?.map((activity) => activity.activityType?.name)).toContain(
    'getAgreementOffer',
  );
  expect(description.memo?.[STATUS_MEMO]).toBeDefined();
  expect(memoStatus(description)).toBeUndefined();
  const read = await readEnrollmentStatus(handle);
  expect(read).toEqual(await handle.query(statusQuery));
  expect(read.stage).toBe('agreement');

  // Another enrollment on the same worker waits meanwhile: what is in flight is each run's own,
  // so its memo is current (no step of its own under way).
  const other = await suite.start(enrollmentRequest());
  await throughToReview(other);
  expect(await currentMemo(other)).toEqual(await other.query(statusQuery));

  // The offer arrives, the flow waits for the signature: the memo is current again.
  releaseOffer();
  const settled = await agreeing(handle);
  expect(settled.agreement.version).toBeDefined();
  expect(await currentMemo(handle)).toEqual(await handle.query(statusQuery));
});

/** What memoStatus reads as current, once the tasks under way (emails beside the flow) are done. */
async function currentMemo(handle: WorkflowHandle): Promise<EnrollmentStatus | undefined> {
  for (const deadline = Date.now() + 10_000; ; await delay(50)) {
    const current = memoStatus(await handle.describe());
    if (current || Date.now() > deadline) return current;
  }
}
