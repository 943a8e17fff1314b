/**
 * The lists people work from, on the dev server's SQL visibility (no ORDER BY): recently decided
 * (an Int attribute, latest first), longest in their stage (a Datetime, oldest first), searches by
 * company prefix, MPN ID and registration number, incidents, stuck, and Temporal's own order —
 * every page exact, nothing skipped or repeated. The enrollments are visibility records only:
 * started on a task queue no worker polls, with the search attributes the workflow sets.
 */
import type { Connection } from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { enrollmentsPage, type ListOrder } from '../../src/client/lists';
import { InvalidPageToken, type EnrollmentSummary, type Filter } from '../../src/client/visibility';
import { enrollmentIdFor } from '../../src/domain/enrollment';
import { findStuck } from '../../src/cli/operations';
import { ENROLLMENT_WORKFLOW, searchAttributes as sa } from '../../src/workflows/definitions';
import { WindowEdges } from '../../src/client/window-pager';
import { serviceClient } from '../../src/config/temporal';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';
import { newKey } from '../harness/keys';
import { connectDevServer, uniqueTaskQueue, type DevServer } from '../harness/temporal';

let temporal: DevServer;
const taskQueue = uniqueTaskQueue('lists');
const DAY = 86_400_000;
const now = Date.parse('2026-12-03T00:00:00.000Z');
/** Four digits of this run, so IDs (registration numbers) differ between runs. */
const RUN = String(Date.now() % 10_000).padStart(4, '0');

interface Record {
  id: string;
  company: string;
  stage: string;
  decidedAt?: number;
  stageSince: number;
  dueAt?: number;
  incident?: string;
  mpnId?: string;
}

/** Decided over months, within seconds, and tied to the second; some never decided. */
const records: Record[] = Array.from({ length: 30 }, (_, i) => {
  const decided =
    i < 10
      ? now - i * 9 * DAY
      : i < 20
        ? now - 40 * DAY - (i - 10) * 700
        : i < 26
          ? now - 50 * DAY
          : undefined;
  return {
    id: `enrollment-91310000MX${RUN}${String(i).padStart(2, '0')}XQ`,
    company: i % 3 === 0 ? `上海云帆 ${i}` : `Yunfan Tech ${i}`,
    stage: decided === undefined ? 'review' : i % 2 ? 'agreement' : 'ended',
    ...(decided === undefined ? {} : { decidedAt: decided }),
    stageSince: now - (i % 7) * DAY - i * 1000,
    ...(i % 4 === 0 ? { dueAt: now - DAY + i * 1000 } : { dueAt: now + 10 * DAY }),
    ...(i % 9 === 0 ? { incident: 'awaitProvisioning' } : {}),
    ...(i % 5 === 0 ? { mpnId: '6123456' } : {}),
  };
});

beforeAll(async () => {
  temporal = await connectDevServer();
  for (const record of records) {
    const attributes: SearchAttributePair[] = [
      { key: sa.stage, value: record.stage },
      { key: sa.company, value: record.company },
      { key: sa.stageSince, value: new Date(record.stageSince) },
      ...(record.decidedAt === undefined
        ? []
        : [{ key: sa.decidedAt, value: Math.floor(record.decidedAt / 1000) }]),
      ...(record.dueAt === undefined ? [] : [{ key: sa.dueAt, value: new Date(record.dueAt) }]),
      ...(record.incident ? [{ key: sa.incident, value: record.incident }] : []),
      ...(record.mpnId ? [{ key: sa.mpnId, value: record.mpnId }] : []),
    ] as SearchAttributePair[];
    await temporal.client.workflow.start(ENROLLMENT_WORKFLOW, {
      taskQueue,
      workflowId: record.id,
      args: [],
      typedSearchAttributes: new TypedSearchAttributes(attributes),
    });
  }
  const everything = `TaskQueue = '${taskQueue}'`;
  while (Number((await temporal.client.workflow.count(everything)).count) < records.length) await delay(100);
});

afterAll(async () => {
  await Promise.all(records.map((r) => temporal.client.workflow.getHandle(r.id).terminate('test over')));
  await temporal?.close();
});

async function walk(
  filter: Omit<Filter, 'taskQueue'>,
  order: ListOrder,
  pageSize: number,
  edges?: WindowEdges,
) {
  const pages: EnrollmentSummary[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await enrollmentsPage(
      temporal.client,
      { taskQueue, ...filter },
      order,
      { pageSize, pageToken },
      { pagesPerWindow: 2, edges },
    );
    // A token always leads to more: a window that held the rest of the list says so.
    if (pages.length && !page.items.length) throw new Error(`page ${pages.length + 1} is empty`);
    pages.push(page.items);
    pageToken = page.nextPageToken;
  } while (pageToken && pages.length < 100);
  return pages;
}

const ids = (pages: EnrollmentSummary[][]) => pages.flat().map((item) => item.enrollmentId);
const seconds = (ms: number) => Math.floor(ms / 1000);
const byValue = (value: (r: Record) => number, dir: 1 | -1) => (a: Record, b: Record) =>
  (value(a) - value(b)) * dir || a.id.localeCompare(b.id);

test.each([3, 4, 7, 50])(
  'recently decided, in pages of %i: latest decision first, ties by ID',
  async (size) => {
    const expected = records
      .filter((r) => r.decidedAt !== undefined)
      .sort(byValue((r) => seconds(r.decidedAt!), -1))
      .map((r) => r.id);
    const pages = await walk({ decided: true }, 'decided', size);
    expect(ids(pages)).toEqual(expected);
    expect(pages.slice(0, -1).every((page) => page.length === size)).toBe(true);
  },
);

test.each([4, 9])('longest in their stage first, in pages of %i', async (size) => {
  const expected = [...records].sort(byValue((r) => r.stageSince, 1)).map((r) => r.id);
  expect(ids(await walk({}, 'stage-since', size))).toEqual(expected);
});

test('searches: company prefix (Chinese or Latin), MPN ID, registration number', async () => {
  const prefix = await walk({ companyPrefix: '上海云帆' }, 'recent', 4);
  expect(ids(prefix).sort()).toEqual(
    records
      .filter((r) => r.company.startsWith('上海云帆'))
      .map((r) => r.id)
      .sort(),
  );
  const mpn = await walk({ mpnId: '6123456' }, 'recent', 50);
  expect(ids(mpn).sort()).toEqual(
    records
      .filter((r) => r.mpnId)
      .map((r) => r.id)
      .sort(),
  );
  const registration = records[7].id.replace('enrollment-', '');
  const one = await walk({ enrollmentId: enrollmentIdFor(registration) }, 'recent', 50);
  expect(ids(one)).toEqual([records[7].id]);
});

test("Temporal's own order pages through everything once", async () => {
  const pages = await walk({}, 'recent', 7);
  expect(ids(pages).sort()).toEqual(records.map((r) => r.id).sort());
  expect(new Set(ids(pages)).size).toBe(records.length);
});

test('incidents and stuck enrollments, with their reasons, from search attributes alone', async () => {
  const incidents = await walk({ incident: true, executionStatus: 'Running' }, 'stage-since', 50);
  expect(ids(incidents).sort()).toEqual(
    records
      .filter((r) => r.incident)
      .map((r) => r.id)
      .sort(),
  );
  expect(incidents.flat().every((item) => item.incident === 'awaitProvisioning')).toBe(true);

  const stuck = await findStuck(
    temporal.client,
    taskQueue,
    { pageSize: 50 },
    { now: new Date(now), olderThan: '5d' },
  );
  const expected = records.filter(
    (r) => r.incident || (r.dueAt !== undefined && r.dueAt < now) || r.stageSince < now - 5 * DAY,
  );
  expect(stuck.items.map((row) => row.enrollmentId).sort()).toEqual(expected.map((r) => r.id).sort());
  for (const row of stuck.items) expect(row.reasons.length).toBeGreaterThan(0);
  const some = stuck.items.find((row) => row.enrollmentId === records[9].id);
  expect(some?.reasons.join('; ')).toMatch(/incident at awaitProvisioning/);
});

describe('windows remembered between loads of a page', () => {
  let counts: jest.SpiedFunction<typeof temporal.client.workflow.count>;
  beforeEach(() => (counts = jest.spyOn(temporal.client.workflow, 'count')));
  afterEach(() => counts.mockRestore());

  test.each(['decided', 'stage-since'] as const)(
    '%s: the same pages, and a page loaded again costs one count instead of a search',
    async (order) => {
      const filter = order === 'decided' ? { decided: true } : {};
      const expected = ids(await walk(filter, order, 3));
      const edges = new WindowEdges();
      expect(ids(await walk(filter, order, 3, edges))).toEqual(expected);
      const searching = counts.mock.calls.length;
      counts.mockClear();
      expect(ids(await walk(filter, order, 3, edges))).toEqual(expected);
      // Each page: its cursor's second (after the first page), then one count of the remembered window.
      const pages = Math.ceil(expected.length / 3);
      expect(counts.mock.calls.length).toBeLessThanOrEqual(2 * pages);
      expect(counts.mock.calls.length).toBeLessThan(searching / 2);
    },
  );

  test('an edge that no longer fits is searched for anew: the pages stay exact', async () => {
    const expected = ids(await walk({}, 'stage-since', 4));
    // One remembering the start of time (a window of nothing), one the end (a window of everything).
    for (const edge of [0, Date.parse('2100-01-01T00:00:00Z')]) {
      const edges = new (class extends WindowEdges {
        override recall() {
          return { edge, n: 1 };
        }
      })();
      expect(ids(await walk({}, 'stage-since', 4, edges))).toEqual(expected);
    }
  });

  test('bounded: the oldest list is forgotten first, and every list after a while', () => {
    let now = 0;
    const edges = new WindowEdges({ lists: 2, forgetAfterMs: 1000, now: () => now });
    edges.remember('a', { edge: 1, n: 10 });
    edges.remember('b', { edge: 2, n: 10 });
    edges.recall('a');
    edges.remember('c', { edge: 3, n: 10 });
    const recalled = ['a', 'b', 'c'].map((list) => edges.recall(list)?.edge);
    expect(recalled).toEqual([undefined, 2, 3]);
    now = 1001;
    expect(edges.recall('c')).toBeUndefined();
  });
});

test("a row whose memo this process cannot open (another key's) is listed all the same", async () => {
  // Lists read search attributes only; the memo holds the run's status, sealed. A key retired from
  // this process's ring must not make the lists fail.
  const stranger = serviceClient(
    temporal.client.connection as Connection,
    'default',
    encryptedDataConverter(parseKeyRing(newKey())),
  );
  const id = `enrollment-91310000MY${RUN}00XQ`;
  await stranger.workflow.start(ENROLLMENT_WORKFLOW, {
    taskQueue,
    workflowId: id,
    args: [],
    memo: { status: { stage: 'review' } },
    typedSearchAttributes: new TypedSearchAttributes([
      { key: sa.stage, value: 'unlisted' },
      { key: sa.stageSince, value: new Date(now) },
    ] as SearchAttributePair[]),
  });
  try {
    const query = `TaskQueue = '${taskQueue}' AND WorkflowId = '${id}'`;
    while (Number((await temporal.client.workflow.count(query)).count) < 1) await delay(100);
    for (const order of ['recent', 'stage-since'] as const) {
      const pages = await walk({ stage: 'unlisted' }, order, 5);
      expect(ids(pages)).toEqual([id]);
    }
  } finally {
    await stranger.workflow.getHandle(id).terminate('test over');
  }
});

test('rows whose memos hold long audit trails list in calls of over 4 MB', async () => {
  // The memo is the run's status, sealed: up to 512 KB (src/workflows/status-memo.ts). Twelve of
  // 400 KB in one call of 100 rows passed grpc-js's default answer limit of 4 MB.
  const trail = (i: number) =>
    Array.from({ length: 2_600 }, (_, n) => ({ seq: n, detail: randomBytes(96).toString('base64') + i }));
  const started = Array.from(
    { length: 12 },
    (_, i) => `enrollment-91310000MZ${RUN}${String(i).padStart(2, '0')}XQ`,
  );
  for (const [i, id] of started.entries())
    await temporal.client.workflow.start(ENROLLMENT_WORKFLOW, {
      taskQueue,
      workflowId: id,
      args: [],
      memo: { status: { stage: 'review', audit: trail(i) } },
      typedSearchAttributes: new TypedSearchAttributes([
        { key: sa.stage, value: 'long-trail' },
      ] as SearchAttributePair[]),
    });
  try {
    const query = `TaskQueue = '${taskQueue}' AND ${sa.stage.name} = 'long-trail'`;
    while (Number((await temporal.client.workflow.count(query)).count) < started.length) await delay(100);
    const pages = await walk({ stage: 'long-trail' }, 'recent', 50);
    expect(ids(pages).sort()).toEqual(started.sort());
  } finally {
    await Promise.all(started.map((id) => temporal.client.workflow.getHandle(id).terminate('test over')));
  }
});

test('a token of another list, or of none, is refused', async () => {
  const first = await enrollmentsPage(temporal.client, { taskQueue, decided: true }, 'decided', {
    pageSize: 2,
  });
  await expect(
    enrollmentsPage(temporal.client, { taskQueue }, 'stage-since', {
      pageSize: 2,
      pageToken: first.nextPageToken,
    }),
  ).rejects.toThrow(InvalidPageToken);
  await expect(
    enrollmentsPage(temporal.client, { taskQueue }, 'recent', { pageSize: 2, pageToken: 'nonsense' }),
  ).rejects.toThrow(InvalidPageToken);
});
