/**
 * Finding enrollments through Temporal visibility, for the API's lists, the console and the CLI:
 * what a list shows comes from search attributes only, never from asking a workflow (a query
 * replays an enrollment the worker does not hold). Lists page in an exact order (./lists).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { EnrollmentSummary } from '../domain/status';
import { ENROLLMENT_WORKFLOW, searchAttributes } from '../workflows/definitions';

/** The most enrollments one `listEnrollments` returns (a time-ordered list's window holds a few pages), fetched `LIST_PAGE_ROWS` a call. */
const LIST_LIMIT = 1000;
/**
 * Rows per visibility call. Every row carries the run's memo (its status, a few KB encrypted, up to
 * 512 KB as its audit grows): 100 rows stay well within the 128 MB a client takes
 * (src/config/temporal.ts), and a time-ordered page's window is about that size (./window-pager).
 */
const LIST_PAGE_ROWS = 100;

export type { EnrollmentSummary };

export interface Filter {
  taskQueue: string;
  stage?: string;
  endState?: string;
  /** Any of these owner IDs (see ./owner-ids). */
  owners?: string[];
  /** Temporal execution status: Running, Completed, Failed, … */
  executionStatus?: string;
  /** Only enrollments whose CspDueAt is before this moment. */
  dueBefore?: Date;
  /** Company names starting with this text (case as written). */
  companyPrefix?: string;
  mpnId?: string;
  /** Enrollment IDs are made from the registration number (enrollmentIdFor). */
  enrollmentId?: string;
  /** Only enrollments waiting in an incident. */
  incident?: boolean;
  /** Only enrollments decided by reviewers. */
  decided?: boolean;
  /** Running and stuck: past due, in an incident, or (when given) in their stage since before this. */
  stuck?: { now: Date; stageSinceBefore?: Date };
}

/** Values come validated (enums, IDs, token subjects); quotes are escaped all the same. */
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** Datetime bounds as visibility compares them: whole seconds, without fraction (text comparison). */
const instant = (at: Date) =>
  quote(new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));

export function visibilityQuery(filter: Filter): string {
  const sa = searchAttributes;
  const terms = [`WorkflowType = ${quote(ENROLLMENT_WORKFLOW)}`, `TaskQueue = ${quote(filter.taskQueue)}`];
  if (filter.stage) terms.push(`${sa.stage.name} = ${quote(filter.stage)}`);
  if (filter.endState) terms.push(`${sa.endState.name} = ${quote(filter.endState)}`);
  if (filter.owners) terms.push(`${sa.owner.name} IN (${filter.owners.map(quote).join(', ')})`);
  if (filter.executionStatus) terms.push(`ExecutionStatus = ${quote(filter.executionStatus)}`);
  if (filter.dueBefore) terms.push(`${sa.dueAt.name} < ${instant(filter.dueBefore)}`);
  if (filter.companyPrefix) terms.push(`${sa.company.name} STARTS_WITH ${quote(filter.companyPrefix)}`);
  if (filter.mpnId) terms.push(`${sa.mpnId.name} = ${quote(filter.mpnId)}`);
  if (filter.enrollmentId) terms.push(`WorkflowId = ${quote(filter.enrollmentId)}`);
  if (filter.incident) terms.push(`${sa.incident.name} IS NOT NULL`);
  if (filter.decided) terms.push(`${sa.decidedAt.name} IS NOT NULL`);
  if (filter.stuck) {
    const { now, stageSinceBefore } = filter.stuck;
    const reasons = [`${sa.dueAt.name} < ${instant(now)}`, `${sa.incident.name} IS NOT NULL`];
    if (stageSinceBefore) reasons.push(`${sa.stageSince.name} < ${instant(stageSinceBefore)}`);
    terms.push(`ExecutionStatus = 'Running'`, `(${reasons.join(' OR ')})`);
  }
  return terms.join(' AND ');
}

/** The SDK does not export the key's type by name; it is what defining a key returns. */
type SearchAttributeKey<T extends SearchAttributeType> = ReturnType<typeof defineSearchAttributeKey<T>>;

export function summarize(run: WorkflowExecutionInfo): EnrollmentSummary {
  const attrs = run.typedSearchAttributes;
  const value = <T extends SearchAttributeType>(key: SearchAttributeKey<T>) => {
    const found: unknown = attrs.get(key);
    if (found instanceof Date) return found.toISOString();
    if (typeof found === 'number') return new Date(found * 1000).toISOString(); // Int attributes hold seconds
    return typeof found === 'string' && found !== '' ? found : undefined;
  };
  const summary: EnrollmentSummary = {
    enrollmentId: run.workflowId,
    runId: run.runId,
    executionStatus: run.status.name,
    startedAt: run.startTime.toISOString(),
    closedAt: run.closeTime?.toISOString(),
    company: value(searchAttributes.company),
    stage: value(searchAttributes.stage),
    endState: value(searchAttributes.endState),
    owner: value(searchAttributes.owner),
    mpnId: value(searchAttributes.mpnId),
    creditRisk: value(searchAttributes.creditRisk),
    dueAt: value(searchAttributes.dueAt),
    reviewDue: value(searchAttributes.reviewDue),
    reviewAssignee: value(searchAttributes.reviewAssignee),
    heldSince: value(searchAttributes.reviewHeldSince),
    incident: value(searchAttributes.incident),
    stageSince: value(searchAttributes.stageSince),
    decidedAt: value(searchAttributes.decidedAt),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as EnrollmentSummary;
}

/** The matches of a visibility query, up to `limit` enrollments, newest run of each. */
export async function listEnrollments(
  client: Client,
  query: string,
  limit = LIST_LIMIT,
): Promise<EnrollmentSummary[]> {
  const seen = new Map<string, EnrollmentSummary>();
  let next: Uint8Array | undefined;
  do {
    const page = await listRows(client, query, Math.min(limit, LIST_PAGE_ROWS), next);
    for (const summary of page.rows) {
      const known = seen.get(summary.enrollmentId);
      if (!known || known.startedAt < summary.startedAt) seen.set(summary.enrollmentId, summary);
      if (seen.size >= limit) return [...seen.values()];
    }
    next = page.next;
  } while (next);
  return [...seen.values()];
}

/**
 * One visibility call: its rows as summaries, in Temporal's order, and where the next call goes on.
 * Each row also carries its run's memo (the status, sealed, a few KB): a summary needs none of it,
 * so it is not opened (the SDK's own list decrypts and parses every one).
 */
export async function listRows(
  client: Client,
  query: string,
  pageSize: number,
  nextPageToken?: Uint8Array,
): Promise<{ rows: EnrollmentSummary[]; next?: Uint8Array }> {
  const { namespace, loadedDataConverter } = client.options as typeof client.options & {
    loadedDataConverter: Parameters<typeof executionInfoFromRaw>[1];
  };
  const response = await client.workflowService.listWorkflowExecutions({
    namespace,
    query,
    pageSize,
    nextPageToken,
  });
  const rows = await Promise.all(
    (response.executions ?? []).map(async (raw) => {
      raw.memo = null;
      return summarize(await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace));
    }),
  );
  return { rows, ...(response.nextPageToken?.length ? { next: response.nextPageToken } : {}) };
}

export interface PageRequest {
  pageSize: number;
  pageToken?: string;
}

export class InvalidPageToken extends Error {}
