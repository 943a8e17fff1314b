/**
 * The pending-review queue's pages on the dev server's SQL visibility (no ORDER BY): oldest due
 * first across pages, nothing skipped or repeated, however the due dates spread or tie. The
 * enrollments here are visibility records only: started on a task queue no worker polls, with the
 * search attributes a review sets.
 */
import { TypedSearchAttributes } from '@temporalio/common';
import { setTimeout as delay } from 'node:timers/promises';
import { pendingReviewsPage } from '../../src/client/lists';
import { InvalidPageToken, type EnrollmentSummary } from '../../src/client/visibility';
import { ENROLLMENT_WORKFLOW, searchAttributes } from '../../src/workflows/definitions';
import { connectDevServer, uniqueTaskQueue, type DevServer } from '../harness/temporal';

let temporal: DevServer;
const taskQueue = uniqueTaskQueue('review-queue');
const DAY = 86_400_000;
const base = Date.parse('2026-12-01T00:00:00.000Z');
/** Spread over years, clustered within seconds, and tied to the millisecond. */
const dueDates = [
  ...Array.from({ length: 12 }, (_, i) => base + i * 37 * DAY),
  ...Array.from({ length: 12 }, (_, i) => base + 5 * DAY + i * 1500),
  ...Array.from({ length: 6 }, () => base + 9 * DAY),
  base - 3 * 365 * DAY,
  base + 20 * 365 * DAY,
];
const ids: string[] = [];

beforeAll(async () => {
  temporal = await connectDevServer();
  const start = (id: string, stage: string, due: number) =>
    temporal.client.workflow.start(ENROLLMENT_WORKFLOW, {
      taskQueue,
      workflowId: id,
      args: [],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: searchAttributes.stage, value: stage },
        { key: searchAttributes.reviewDue, value: new Date(due) },
      ]),
    });
  for (const [i, due] of dueDates.entries()) {
    const id = `queue-${String(i).padStart(2, '0')}-${taskQueue}`;
    ids.push(id);
    await start(id, 'review', due);
  }
  // Not pending review: must never show.
  ids.push(`agreement-${taskQueue}`);
  await start(ids.at(-1)!, 'agreement', base);
  const everything = `TaskQueue = '${taskQueue}'`;
  while (Number((await temporal.client.workflow.count(everything)).count) < ids.length) await delay(100);
});

afterAll(async () => {
  await Promise.all(ids.map((id) => temporal.client.workflow.getHandle(id).terminate('test over')));
  await temporal?.close();
});

const expected = () =>
  dueDates
    .map((due, i) => ({ due: new Date(due).toISOString(), id: ids[i] }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id.localeCompare(b.id)))
    .map((item) => item.id);

async function walk(pageSize: number, pagesPerWindow?: number): Promise<EnrollmentSummary[][]> {
  const pages: EnrollmentSummary[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await pendingReviewsPage(
      temporal.client,
      taskQueue,
      { pageSize, pageToken },
      { pagesPerWindow },
    );
    pages.push(page.items);
    pageToken = page.nextPageToken;
  } while (pageToken && pages.length < 100);
  return pages;
}

test.each([
  [5, 2],
  [7, 1],
  [4, undefined],
  [50, undefined],
])(
  'pages of %i (window of %s pages) list every pending review once, oldest due first',
  async (size, windows) => {
    const pages = await walk(size, windows);
    expect(pages.flat().map((item) => item.enrollmentId)).toEqual(expected());
    expect(pages.slice(0, -1).every((page) => page.length === size)).toBe(true);
    expect(pages.flat().every((item) => item.stage === 'review')).toBe(true);
  },
);

test('a token that is not from a previous page is refused', async () => {
  await expect(
    pendingReviewsPage(temporal.client, taskQueue, { pageSize: 5, pageToken: 'nonsense' }),
  ).rejects.toThrow(InvalidPageToken);
});
