/**
 * Pages of enrollments in the exact order of a time search attribute, at any size.
 *
 * SQL visibility (the dev server's SQLite, PostgreSQL, MySQL) cannot ORDER BY a search attribute,
 * and listing every match to sort it costs a second per thousand. So each page is cut from a
 * window of that attribute's values: counts narrow the window after the page's cursor until it
 * holds at least a page and at most a few pages, then only that window is listed and sorted. A
 * count costs by the rows it goes through (narrow windows are cheap, the whole list is not), so
 * the search avoids counting the whole list. The token is the last item's (value, ID), so pages
 * neither skip nor repeat while enrollments come and go.
 *
 * Window edges are whole seconds: Int attributes hold seconds, and the dev server compares
 * Datetime values as text, where only whole-second bounds written without a fraction compare as
 * times do (see `terms`).
 */
import type { Client } from '@temporalio/client';
import { InvalidPageToken, listEnrollments, type EnrollmentSummary, type PageRequest } from './visibility';

export interface TimeOrder {
  /** The search attribute's name. */
  field: string;
  kind: 'datetime' | 'int';
  order: 'asc' | 'desc';
  /** The attribute's value in a summary, in milliseconds. */
  valueOf(summary: EnrollmentSummary): number | undefined;
}

export interface Page {
  items: EnrollmentSummary[];
  nextPageToken?: string;
}

export interface WindowOptions {
  /** A window may hold this many pages before it is narrowed (bounds the rows listed per page). */
  pagesPerWindow?: number;
  /** Where recent windows ended, so a page loaded again starts there (see `WindowEdges`). */
  edges?: WindowEdges;
}

/**
 * Where the windows of recent pages ended, by list and page. The same page loaded again (the
 * review queue's first page, by every reviewer, all day) tries that edge first: one count says
 * whether the window still holds one to a few pages, instead of the ten or so of a search. A window
 * that no longer fits is searched for anew; the page is the same either way. Bounded in size and
 * age; one per process (the API's), shared by its requests.
 */
export class WindowEdges {
  private readonly edges = new Map<string, Window & { at: number }>();

  constructor(
    private readonly options: { lists?: number; forgetAfterMs?: number; now?: () => number } = {},
  ) {}

  recall(key: string): Window | undefined {
    const found = this.edges.get(key);
    if (!found) return undefined;
    if (this.now() - found.at > (this.options.forgetAfterMs ?? 5 * 60_000)) {
      this.edges.delete(key);
      return undefined;
    }
    return { edge: found.edge, n: found.n };
  }

  remember(key: string, { edge, n }: Window): void {
    // A Map keeps insertion order: re-inserting makes this the newest, the first key the oldest.
    this.edges.delete(key);
    this.edges.set(key, { edge, n, at: this.now() });
    if (this.edges.size > (this.options.lists ?? 256)) this.edges.delete(this.edges.keys().next().value!);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** A window's moving edge, and how many enrollments the window held when it was counted. */
export interface Edge {
  edge: number;
  n: number;
}

/** A page's window as remembered: its edge, or none when it held the rest of the list. */
export type Window = Omit<Edge, 'edge'> & { edge?: number };

interface Cursor {
  /** The last item's value, ms. */
  at: number;
  id: string;
}

const SECOND = 1000;
/** Windows end up to 2^32 seconds (a century) from where the search starts. */
const MAX_EXPONENT = 32;

/**
 * One page of the enrollments matching `base` that have the field, in `by`'s order (ties by
 * enrollment ID). `tokenKind` names the list in the token, so a token of one list is refused by
 * another.
 */
export async function timeOrderedPage(
  client: Client,
  base: string,
  by: TimeOrder,
  page: PageRequest,
  tokenKind: string,
  options: WindowOptions = {},
): Promise<Page> {
  const cursor = page.pageToken ? decodeCursor(page.pageToken, tokenKind) : undefined;
  const dir = by.order === 'asc' ? 1 : -1;
  // A window runs from a fixed edge (the cursor's second, where the last page ended) to a moving
  // one, along the order; edges are whole seconds, a window the half-open range between them.
  const second = cursor ? wholeSecond(cursor.at) : undefined;
  const fixed = second === undefined ? undefined : dir === 1 ? second : second + SECOND;
  const query = (low?: number, high?: number) =>
    [base, `${by.field} IS NOT NULL`, ...terms(by, low, high)].join(' AND ');
  const within = (moving?: number) => (dir === 1 ? query(fixed, moving) : query(moving, fixed));
  const past = (moving: number) => (dir === 1 ? query(moving) : query(undefined, moving));
  const count = async (q: string) => Number((await client.workflow.count(q)).count);

  // One more than a page tells whether another follows. Enrollments in the cursor's second are in
  // every window after it, though some were on earlier pages: they do not count.
  const tied = second === undefined ? 0 : await count(query(second, second + SECOND));
  const wanted = tied + page.pageSize + 1;
  const most = Math.max(wanted, tied + page.pageSize * (options.pagesPerWindow ?? 4));
  const key = `${within()} ${by.order} ${wanted} ${most}`;
  const remembered = options.edges?.recall(key);
  let moving: number | undefined;
  let rows: EnrollmentSummary[] | undefined;
  // Whether enrollments lie beyond the window, so another page follows.
  let beyond = false;
  // A remembered window still gives the page if it holds enough, and no more than it did (more
  // than a few pages when enrollments crowd into one second, and no window fitted); enrollments
  // lay beyond it when it was found. The rest of the list, if it still holds a few pages at most.
  const stillFits = ({ edge, n: was }: Window, n: number) =>
    edge === undefined ? n <= most : fits(n, wanted, Math.max(most, was));
  if (remembered && stillFits(remembered, await count(within(remembered.edge)))) {
    moving = remembered.edge;
    beyond = moving !== undefined;
  } else {
    // After a cursor the search starts there, and finds no window if less than a page is left. A
    // first page starts from the first rows visibility lists, up to a page and one more: fewer,
    // and they are all there is (a short list costs this one call). A count of the whole list
    // would tell as much, but it goes through every row: at 10,000, tens of ms.
    let anchor = second === undefined ? undefined : dir === 1 ? second + SECOND : second;
    if (anchor === undefined) {
      const sample = await listEnrollments(client, within(), wanted);
      if (sample.length < wanted) rows = sample;
      else {
        // The sample's first in the order: the nearer the anchor to the page, the fewer rows the
        // search's counts go through.
        const at = wholeSecond(dir * Math.min(...sample.map((s) => dir * (by.valueOf(s) ?? Date.now()))));
        anchor = dir === 1 ? at + SECOND : at;
      }
    }
    if (anchor !== undefined) {
      const counted = (to: number) => count(within(to));
      const found = await windowEdge(dir, anchor, cursor !== undefined, counted, wanted, most);
      // Enrollments beyond the window: the search's counts mostly show it (one went further and
      // counted more), else one more count. No window at all: less than a page is left.
      beyond = !!found && (found.beyond || (await count(past(found.edge))) > 0);
      moving = beyond ? found?.edge : undefined;
      options.edges?.remember(key, { edge: moving, n: found?.n ?? 0 });
    }
  }

  const after = (s: EnrollmentSummary) => {
    const value = by.valueOf(s);
    if (value === undefined) return false;
    if (moving !== undefined && (dir === 1 ? value >= moving : value < moving)) return false;
    if (!cursor) return true;
    return value === cursor.at ? s.enrollmentId > cursor.id : (value - cursor.at) * dir > 0;
  };
  const window = (rows ?? (await listEnrollments(client, within(moving))))
    .filter(after)
    .sort((a, b) => (by.valueOf(a)! - by.valueOf(b)!) * dir || a.enrollmentId.localeCompare(b.enrollmentId));
  const items = window.slice(0, page.pageSize);
  const last = items.at(-1);
  const more = window.length > items.length || beyond;
  return {
    items,
    ...(more && last ? { nextPageToken: encodeCursor(tokenKind, by.valueOf(last)!, last.enrollmentId) } : {}),
  };
}

/**
 * The moving edge of a window holding `wanted` to `most` enrollments. First a binary search on the
 * window's length in powers of two seconds from `anchor` — along the order after a cursor; on the
 * first page back from it, then along it if too few lie before it — which brackets the edge
 * between one holding too few and one holding too many in about five counts, whatever the spread
 * of values; then, where enrollments are dense (thousands started in minutes), a search of that
 * bracket in whole seconds. If no edge fits (more than `most` within a second), the smallest
 * window with `wanted` is taken.
 */
export async function windowEdge(
  dir: 1 | -1,
  anchor: number,
  afterCursor: boolean,
  count: (edge: number) => Promise<number>,
  wanted: number,
  most: number,
): Promise<(Edge & { beyond: boolean }) | undefined> {
  // A count of a window that went further than the one found, and held more, shows enrollments
  // beyond it.
  let largest = 0;
  const counted = async (edge: number) => {
    const n = await count(edge);
    largest = Math.max(largest, n);
    return n;
  };
  const search = (direction: 1 | -1) => searchFrom(anchor, direction, dir, counted, wanted, most);
  // A first page's anchor is any enrollment's value, most often past the first page: going back
  // first spares a count of everything before it (the costliest count there is) to choose.
  const found = afterCursor ? await search(dir) : ((await search(-dir as 1 | -1)) ?? (await search(dir)));
  return found && { ...found, beyond: largest > found.n };
}

async function searchFrom(
  anchor: number,
  direction: 1 | -1,
  dir: 1 | -1,
  count: (edge: number) => Promise<number>,
  wanted: number,
  most: number,
): Promise<Edge | undefined> {
  let low = 0;
  let high = MAX_EXPONENT;
  let best: Edge | undefined;
  // The edges seen nearest the fit on either side: a window holds more the further its edge lies
  // along the order, so the fitting edge, if any, is between them.
  let few: Edge | undefined;
  let many: Edge | undefined;
  const tried = async (edge: number) => {
    const n = await count(edge);
    if (n >= wanted && (!best || n < best.n)) best = { edge, n };
    if (n < wanted && (!few || (edge - few.edge) * dir > 0)) few = { edge, n };
    if (n > most && (!many || (edge - many.edge) * dir < 0)) many = { edge, n };
    return n;
  };
  while (low <= high) {
    const exponent = Math.floor((low + high) / 2);
    const edge = anchor + direction * 2 ** exponent * SECOND;
    const n = await tried(edge);
    if (fits(n, wanted, most)) return { edge, n };
    // Along the order a longer window holds more; against it, fewer.
    if (n > most === (direction === dir)) high = exponent - 1;
    else low = exponent + 1;
  }
  // Within the bracket, each count goes where a window of about a page and a half would end if
  // the enrollments were spread evenly in it (a window listed in one call, not two or three: the
  // narrow counts this takes are the cheap ones); every other one halves the bracket, so clustered
  // values are found as fast as by bisection. Bounded: counts of a list that changes meanwhile
  // need not be monotonic.
  for (let i = 0; i < 2 * MAX_EXPONENT && few && many; i++) {
    const seconds = Math.abs(many.edge - few.edge) / SECOND;
    if (seconds <= 1) break;
    const share = i % 2 === 0 ? (wanted + (most - wanted) / 4 - few.n) / (many.n - few.n) : 0.5;
    const step = Math.min(Math.max(Math.round(seconds * share), 1), seconds - 1);
    const edge = few.edge + Math.sign(many.edge - few.edge) * step * SECOND;
    const n = await tried(edge);
    if (fits(n, wanted, most)) return { edge, n };
  }
  return best;
}

/** A window holding this many enrollments gives the page, one more, and at most a few pages. */
const fits = (n: number, wanted: number, most: number) => n >= wanted && n <= most;

const wholeSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/**
 * The half-open range [low, high) of whole seconds. Written as `>=` and `<` with whole-second
 * bounds it means the same on every store: PostgreSQL compares timestamps; the dev server's
 * SQLite compares text (`…:05Z` against `…:05.5Z`), where `<` and `<=` a whole second both leave
 * that second out, and `>=` takes it in.
 */
function terms(by: TimeOrder, low?: number, high?: number): string[] {
  const value = (ms: number) =>
    by.kind === 'int' ? String(ms / SECOND) : `'${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
  return [
    ...(low === undefined ? [] : [`${by.field} >= ${value(low)}`]),
    ...(high === undefined ? [] : [`${by.field} < ${value(high)}`]),
  ];
}

const encodeCursor = (kind: string, at: number, id: string) =>
  Buffer.from(JSON.stringify({ kind, at, id })).toString('base64url');

function decodeCursor(token: string, kind: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<
      Cursor & { kind: string }
    >;
    if (
      parsed.kind === kind &&
      typeof parsed.at === 'number' &&
      Number.isFinite(parsed.at) &&
      typeof parsed.id === 'string'
    )
      return { at: parsed.at, id: parsed.id };
  } catch {
    // falls through to the error below
  }
  throw new InvalidPageToken('pageToken: not a token from a previous page of this list');
}
