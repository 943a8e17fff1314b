/**
 * Finding enrollments through Temporal visibility, for the API's lists and the CLI (the review queue
 * pages by due date in ./review-queue). The dev
 * server's SQL visibility has no ORDER BY, so matches (at most SCAN_LIMIT) are sorted here and
 * pages are slices with an opaque offset token.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { ENROLLMENT_WORKFLOW, searchAttributes } from '../workflows/definitions';

export const SCAN_LIMIT = 1000;

export interface EnrollmentSummary {
  enrollmentId: string;
  runId: string;
  executionStatus: string;
  startedAt: string;
  closedAt?: string;
  company?: string;
  stage?: string;
  endState?: string;
  owner?: string;
  mpnId?: string;
  creditRisk?: string;
  dueAt?: string;
  reviewDue?: string;
  reviewAssignee?: string;
}

export interface Filter {
  taskQueue: string;
  stage?: string;
  endState?: string;
  owner?: string;
  /** Temporal execution status: Running, Completed, Failed, … */
  executionStatus?: string;
  /** Only enrollments whose CspDueAt is before this moment. */
  dueBefore?: Date;
}

/** Values come validated (enums, token subjects); quotes are escaped all the same. */
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function visibilityQuery(filter: Filter): string {
  const terms = [`WorkflowType = ${quote(ENROLLMENT_WORKFLOW)}`, `TaskQueue = ${quote(filter.taskQueue)}`];
  if (filter.stage) terms.push(`${searchAttributes.stage.name} = ${quote(filter.stage)}`);
  if (filter.endState) terms.push(`${searchAttributes.endState.name} = ${quote(filter.endState)}`);
  if (filter.owner) terms.push(`${searchAttributes.owner.name} = ${quote(filter.owner)}`);
  if (filter.executionStatus) terms.push(`ExecutionStatus = ${quote(filter.executionStatus)}`);
  if (filter.dueBefore)
    terms.push(`${searchAttributes.dueAt.name} < ${quote(filter.dueBefore.toISOString())}`);
  return terms.join(' AND ');
}

function summarize(run: WorkflowExecutionInfo): EnrollmentSummary {
  const attrs = run.typedSearchAttributes;
  const text = (key: (typeof searchAttributes)[keyof typeof searchAttributes]) => {
    const value = attrs.get(key as never) as unknown;
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const summary: EnrollmentSummary = {
    enrollmentId: run.workflowId,
    runId: run.runId,
    executionStatus: run.status.name,
    startedAt: run.startTime.toISOString(),
    closedAt: run.closeTime?.toISOString(),
    company: text(searchAttributes.company),
    stage: text(searchAttributes.stage),
    endState: text(searchAttributes.endState),
    owner: text(searchAttributes.owner),
    mpnId: text(searchAttributes.mpnId),
    creditRisk: text(searchAttributes.creditRisk),
    dueAt: text(searchAttributes.dueAt),
    reviewDue: text(searchAttributes.reviewDue),
    reviewAssignee: text(searchAttributes.reviewAssignee),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as EnrollmentSummary;
}

/** Every match up to SCAN_LIMIT; the newest run per enrollment only (a reset or retry leaves old runs). */
export function findEnrollments(client: Client, filter: Filter): Promise<EnrollmentSummary[]> {
  return listEnrollments(client, visibilityQuery(filter));
}

/** The matches of a visibility query, up to `limit` enrollments, newest run of each. */
export async function listEnrollments(
  client: Client,
  query: string,
  limit = SCAN_LIMIT,
): Promise<EnrollmentSummary[]> {
  const seen = new Map<string, EnrollmentSummary>();
  for await (const run of client.workflow.list({ query, pageSize: Math.min(limit, SCAN_LIMIT) })) {
    const summary = summarize(run);
    const known = seen.get(summary.enrollmentId);
    if (!known || known.startedAt < summary.startedAt) seen.set(summary.enrollmentId, summary);
    if (seen.size >= limit) break;
  }
  return [...seen.values()];
}

/** Ascending by a date field, enrollments without one last, then by ID for a stable order. */
export function byDate(field: 'dueAt' | 'reviewDue') {
  return (a: EnrollmentSummary, b: EnrollmentSummary): number => {
    const x = a[field] ?? '\uffff';
    const y = b[field] ?? '\uffff';
    return x < y ? -1 : x > y ? 1 : a.enrollmentId.localeCompare(b.enrollmentId);
  };
}

export interface PageRequest {
  pageSize: number;
  pageToken?: string;
}

export function paginate<T>(items: T[], page: PageRequest): { items: T[]; nextPageToken?: string } {
  const offset = page.pageToken ? decodeToken(page.pageToken) : 0;
  const slice = items.slice(offset, offset + page.pageSize);
  const next = offset + page.pageSize;
  return { items: slice, ...(next < items.length ? { nextPageToken: encodeToken(next) } : {}) };
}

export class InvalidPageToken extends Error {}

const encodeToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');
function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw new InvalidPageToken('pageToken: not a token from a previous page');
}
