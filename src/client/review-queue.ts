/**
 * The pending-review queue, oldest review due first, one page at a time, exact at any size.
 *
 * SQL visibility (the dev server's SQLite, PostgreSQL, MySQL) cannot ORDER BY a search attribute,
 * and scanning every pending review to sort them costs a second per thousand. So each page is cut
 * from a window of due dates: counts (cheap, indexed) narrow the window after the page's cursor
 * until it holds at least a page and at most a few pages, then only that window is listed and
 * sorted. The token is the last item's (due date, ID), so pages neither skip nor repeat while
 * reviews come and go.
 */
import type { Client } from '@temporalio/client';
import { searchAttributes } from '../workflows/definitions';
import {
  InvalidPageToken,
  byDate,
  listEnrollments,
  visibilityQuery,
  type EnrollmentSummary,
  type PageRequest,
} from './visibility';

export interface QueuePage {
  items: EnrollmentSummary[];
  nextPageToken?: string;
}

export interface QueueOptions {
  /** A window may hold this many pages before it is narrowed (bounds the rows listed per page). */
  pagesPerWindow?: number;
}

interface Cursor {
  at: string;
  id: string;
}

const FIELD = searchAttributes.reviewDue.name;
const SECOND = 1000;
/** Windows end up to 2^32 seconds (a century) from where the search starts. */
const MAX_EXPONENT = 32;

export async function pendingReviewsPage(
  client: Client,
  taskQueue: string,
  page: PageRequest,
  options: QueueOptions = {},
): Promise<QueuePage> {
  const cursor = page.pageToken ? decodeCursor(page.pageToken) : undefined;
  const base = visibilityQuery({ taskQueue, stage: 'review', executionStatus: 'Running' });
  // Bounds fall on whole seconds, a second before the cursor's: see `bound`.
  const from = cursor ? wholeSecond(cursor.at) - SECOND : undefined;
  const within = (to?: number) =>
    [
      base,
      ...(from === undefined ? [] : [`${FIELD} >= ${bound(from)}`]),
      ...(to === undefined ? [] : [`${FIELD} <= ${bound(to)}`]),
    ].join(' AND ');
  const count = async (to?: number) => Number((await client.workflow.count(within(to))).count);

  // One more than a page tells whether another follows. Reviews due near the cursor are in every
  // window after it, though some were on earlier pages: they do not count.
  const tied = cursor ? await count(wholeSecond(cursor.at) + SECOND) : 0;
  const wanted = tied + page.pageSize + 1;
  const most = Math.max(wanted, tied + page.pageSize * (options.pagesPerWindow ?? 4));
  const to = (await count()) > most ? await windowEnd(client, base, cursor, count, wanted, most) : undefined;

  const after = (s: EnrollmentSummary) =>
    !cursor || (s.reviewDue ?? '') > cursor.at || (s.reviewDue === cursor.at && s.enrollmentId > cursor.id);
  const window = (await listEnrollments(client, within(to))).filter(after).sort(byDate('reviewDue'));
  const items = window.slice(0, page.pageSize);
  const last = items.at(-1);
  // A narrowed window always has reviews beyond it.
  const more = window.length > items.length || to !== undefined;
  return { items, ...(more && last ? { nextPageToken: encodeCursor(last) } : {}) };
}

/**
 * The end of a window holding `wanted` to `most` reviews: a binary search on the window's length
 * in powers of two seconds, from the cursor (or, for the first page, from any review's due date,
 * forwards or backwards). About five counts, whatever the spread of due dates. If no length fits
 * (more than `most` reviews due within a second), the smallest window with `wanted` is taken.
 */
async function windowEnd(
  client: Client,
  base: string,
  cursor: Cursor | undefined,
  count: (to?: number) => Promise<number>,
  wanted: number,
  most: number,
): Promise<number | undefined> {
  let anchor = cursor ? wholeSecond(cursor.at) + SECOND : undefined;
  if (anchor === undefined) {
    const [any] = await listEnrollments(client, base, 1);
    anchor = wholeSecond(any?.reviewDue ?? new Date().toISOString());
  }
  // After a cursor, forwards; on the first page, forwards when the reviews due by the anchor are
  // too few for a page, else backwards.
  const direction = cursor || (await count(anchor)) < wanted ? 1 : -1;
  let low = 0;
  let high = MAX_EXPONENT;
  let best: { to: number; n: number } | undefined;
  while (low <= high) {
    const exponent = Math.floor((low + high) / 2);
    const to = anchor + direction * 2 ** exponent * SECOND;
    const n = await count(to);
    if (n >= wanted && n <= most) return to;
    if (n >= wanted && (!best || n < best.n)) best = { to, n };
    // Forwards a longer window holds more; backwards, fewer.
    const tooMany = n > most;
    if (tooMany === (direction === 1)) high = exponent - 1;
    else low = exponent + 1;
  }
  return best?.to;
}

const wholeSecond = (iso: string) => Math.floor(Date.parse(iso) / SECOND) * SECOND;

/**
 * A window bound as visibility compares it. The server keeps Datetime values as text without
 * trailing zeros (`…:05Z`, `…:05.5Z`) and compares text, so a bound on a whole second, written
 * without fraction, takes in all of that second's reviews below it and none of the next one's.
 */
const bound = (ms: number) => `'${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;

const encodeCursor = (item: EnrollmentSummary) =>
  Buffer.from(JSON.stringify({ at: item.reviewDue ?? '', id: item.enrollmentId })).toString('base64url');

function decodeCursor(token: string): Cursor {
  try {
    const { at, id } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)))
      return { at: new Date(at).toISOString(), id };
  } catch {
    // falls through to the error below
  }
  throw new InvalidPageToken('pageToken: not a token from a previous page');
}
