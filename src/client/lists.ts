/**
 * The lists people work from, one page at a time and in an exact order, from visibility alone:
 * the review queue (oldest due first), enrollments by stage (newest first, or earliest due
 * first), search results, recently decided, incidents and stuck enrollments (longest in their
 * stage first). None asks a workflow anything.
 */
import type { Client } from '@temporalio/client';
import { searchAttributes } from '../workflows/definitions';
import {
  InvalidPageToken,
  listEnrollments,
  listRows,
  visibilityQuery,
  type EnrollmentSummary,
  type Filter,
  type PageRequest,
} from './visibility';
import { timeOrderedPage, type Page, type TimeOrder, type WindowOptions } from './window-pager';

export const LIST_ORDERS = ['recent', 'due', 'review-due', 'decided', 'stage-since'] as const;
/**
 * recent: Temporal's own order (running first, newest started first; then the ended, latest
 * first); the others by a time search attribute, only enrollments that have it.
 */
export type ListOrder = (typeof LIST_ORDERS)[number];

const ms = (iso?: string) => (iso === undefined ? undefined : Date.parse(iso));

const TIME_ORDERS: Record<Exclude<ListOrder, 'recent'>, TimeOrder> = {
  due: { field: searchAttributes.dueAt.name, kind: 'datetime', order: 'asc', valueOf: (s) => ms(s.dueAt) },
  'review-due': {
    field: searchAttributes.reviewDue.name,
    kind: 'datetime',
    order: 'asc',
    valueOf: (s) => ms(s.reviewDue),
  },
  decided: {
    field: searchAttributes.decidedAt.name,
    kind: 'int',
    order: 'desc',
    valueOf: (s) => ms(s.decidedAt),
  },
  'stage-since': {
    field: searchAttributes.stageSince.name,
    kind: 'datetime',
    order: 'asc',
    valueOf: (s) => ms(s.stageSince),
  },
};

/** One page of the enrollments matching `filter`, in `order`. */
export function enrollmentsPage(
  client: Client,
  filter: Filter,
  order: ListOrder,
  page: PageRequest,
  options: WindowOptions = {},
): Promise<Page> {
  const query = visibilityQuery(filter);
  if (order === 'recent') return newestFirstPage(client, query, page);
  return timeOrderedPage(client, query, TIME_ORDERS[order], page, order, options);
}

/** The review queue: running enrollments in review, oldest review due first. */
export function pendingReviewsPage(
  client: Client,
  taskQueue: string,
  page: PageRequest,
  options: WindowOptions = {},
): Promise<Page> {
  return enrollmentsPage(
    client,
    { taskQueue, stage: 'review', executionStatus: 'Running' },
    'review-due',
    page,
    options,
  );
}

/**
 * Only rows that are their enrollment's latest run (a retried or restarted enrollment leaves its
 * earlier runs in visibility): one more visibility call for the page, no workflow asked.
 */
export async function latestRunsOnly(client: Client, page: Page): Promise<Page> {
  if (!page.items.length) return page;
  const ids = [...new Set(page.items.map((item) => item.enrollmentId))];
  const query = `WorkflowId IN (${ids.map((id) => `'${id.replace(/'/g, "\\'")}'`).join(', ')})`;
  const latest = new Map((await listEnrollments(client, query)).map((run) => [run.enrollmentId, run]));
  return { ...page, items: page.items.filter((item) => latest.get(item.enrollmentId)?.runId === item.runId) };
}

/** Why a stuck enrollment is listed, from its search attributes. */
export function stuckReasons(summary: EnrollmentSummary, now: Date, stageSinceBefore?: Date): string[] {
  const reasons: string[] = [];
  if (summary.incident) reasons.push(`incident at ${summary.incident}: an operator must retry or end it`);
  if (summary.dueAt && Date.parse(summary.dueAt) < now.getTime())
    reasons.push(`past due since ${summary.dueAt}`);
  if (stageSinceBefore && summary.stageSince && Date.parse(summary.stageSince) < stageSinceBefore.getTime())
    reasons.push(`in stage ${summary.stage ?? '?'} since ${summary.stageSince}`);
  return reasons;
}

/** Temporal's own paging: its order and its page token, carried inside ours. */
async function newestFirstPage(client: Client, query: string, page: PageRequest): Promise<Page> {
  const token = page.pageToken ? decodeNativeToken(page.pageToken) : undefined;
  const { rows, next } = await listRows(client, query, page.pageSize, token);
  const more = next ? { nextPageToken: `recent.${Buffer.from(next).toString('base64url')}` } : {};
  return { items: rows, ...more };
}

function decodeNativeToken(token: string): Uint8Array {
  const [kind, data] = token.split('.', 2);
  if (kind !== 'recent' || !data || !/^[A-Za-z0-9_-]+$/.test(data))
    throw new InvalidPageToken('pageToken: not a token from a previous page of this list');
  return Buffer.from(data, 'base64url');
}
