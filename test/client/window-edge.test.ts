/**
 * The window a time-ordered page is cut from holds one to a few pages, also where enrollments are
 * dense: 10,000 started within 20 minutes (the bench's `--scale` run) once made the first page of
 * the review queue list 1,800 rows, over the client's 4 MB answer limit with their memos.
 * Counts here are exact counts of a sorted list of due dates (what visibility answers).
 */
import { windowEdge, type Edge } from '../../src/client/window-pager';

const SECOND = 1000;
const start = Date.parse('2026-12-18T09:00:00.000Z');

/** `n` due dates, `perSecond` a second from `start` on. */
const dense = (n: number, perSecond: number) =>
  Array.from({ length: n }, (_, i) => start + Math.floor(i / perSecond) * SECOND + (i % perSecond));

let counts = 0;
/** The rows those counts went through: what a count costs visibility. */
let rowsCounted = 0;
beforeEach(() => (counts = rowsCounted = 0));

/** The count of an ascending window before `edge` (everything without an edge). */
const countBefore = (values: number[]) => async (edge?: number) => {
  counts += 1;
  const n = edge === undefined ? values.length : values.filter((value) => value < edge).length;
  rowsCounted += n;
  return n;
};

/** The count of a descending window from `edge` on. */
const countFrom = (values: number[]) => async (edge?: number) =>
  edge === undefined ? values.length : values.filter((value) => value >= edge).length;

const wholeSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;
const pageSize = 50;
const wanted = pageSize + 1;
const most = pageSize * 4;

/** The window up to its edge holds at least a page and one more, and at most four pages. */
async function expectOneToFourPages(count: (edge?: number) => Promise<number>, window: Edge | undefined) {
  expect(window).toBeDefined();
  const n = await count(window!.edge);
  expect(window!.n).toBe(n);
  expect(n).toBeGreaterThanOrEqual(wanted);
  expect(n).toBeLessThanOrEqual(most);
}

test.each([
  ['8 a second', 8],
  ['1 a second', 1],
  ['30 a second', 30],
])(
  'the first page of 10,000 due dates at %s, the anchor on the latest: a window of one to four pages',
  async (_, perSecond) => {
    const values = dense(10_000, perSecond);
    const count = countBefore(values);
    // The first page's anchor is whichever enrollment visibility lists first: here the latest.
    const anchor = wholeSecond(values.at(-1)!) + SECOND;
    const edge = await windowEdge(1, anchor, false, count, wanted, most);
    // Each count is a visibility request: about six bracket the edge, a few find it in the
    // bracket (a bisection took six more). A count costs by the rows it goes through (at 10,000
    // on the dev server's SQLite, tens of ms for all): the search goes back from the anchor
    // without first counting everything before it (10,000 rows more, as it once did).
    expect(counts).toBeLessThanOrEqual(14);
    expect(rowsCounted).toBeLessThan(22_000);
    await expectOneToFourPages(count, edge);
    // About a page and a half: listed in one call of 100 rows.
    expect(edge!.n).toBeLessThanOrEqual(100);
    // Counts of larger windows showed enrollments beyond this one: no count needed to say so.
    expect(edge!.beyond).toBe(true);
  },
);

test('descending (recently decided first), the anchor on the earliest', async () => {
  const values = dense(10_000, 8);
  const count = countFrom(values);
  const edge = await windowEdge(-1, wholeSecond(values[0]), false, count, wanted, most);
  await expectOneToFourPages(count, edge);
});

test('after a cursor in the middle of dense due dates, along the order', async () => {
  const values = dense(10_000, 8);
  const cursor = wholeSecond(values[4_000]);
  const count = async (edge?: number) =>
    values.filter((value) => value >= cursor && (edge === undefined || value < edge)).length;
  const edge = await windowEdge(1, cursor + SECOND, true, count, wanted, most);
  await expectOneToFourPages(count, edge);
});

test('more than a few pages within one second: the smallest window with a page', async () => {
  const values = dense(1_000, 500);
  const count = countBefore(values);
  const window = await windowEdge(1, wholeSecond(values.at(-1)!) + SECOND, false, count, wanted, most);
  expect(await count(window?.edge)).toBe(500);
  expect(window?.n).toBe(500);
});
