/**
 * Reads without replay: the run's memo holds the status each workflow task left (patched
 * 'status-memo'), read by describe() without running workflow code, up to the run's end.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { enrollmentRequest, reviewer } from '../fixtures';
import { acceptAgreement, approve, start, throughToReview } from '../harness/driver';
import type { EnrollmentStatus } from '../../src/domain/status';
import { STATUS_MEMO, statusQuery } from '../../src/workflows/definitions';
import { startWorkflowSuite, type WorkflowSuite } from './world';

let suite: WorkflowSuite;
beforeAll(async () => {
  suite = await startWorkflowSuite('status-memo');
});
afterAll(() => suite?.close());

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

test('the memo holds the status as the last workflow task left it, to the end', async () => {
  suite.useWorld();
  const handle = await start(suite.env.client, suite.taskQueue, enrollmentRequest());
  expect((await agreeing(handle)).stage).toEqual(expect.any(String));
  await throughToReview(handle);
  expect((await agreeing(handle)).stage).toBe('review');
  // An update's effect is in the memo as soon as it answered: the same workflow task wrote both.
  await approve(handle, reviewer);
  expect((await memoOf(handle))?.stage).toBe('agreement');
  await acceptAgreement(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  await suite.record('status-memo', handle);
  // The run's last task is in it too, though the run completed in that task.
  const ended = await agreeing(handle);
  expect(ended).toMatchObject({ stage: 'ended', endState: 'completed' });
});
