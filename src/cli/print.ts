/** Human-readable output of the CLI; --json prints the same data as JSON instead. */
import type { EnrollmentStatus } from '../domain/status';
import type { StuckEnrollment } from './operations';
import type { EnrollmentSummary } from '../client/visibility';

export function printStatus(status: EnrollmentStatus): void {
  console.log(`${status.enrollmentId}  ${status.companyName}`);
  console.log(
    `stage: ${status.stage}${status.endState ? ` (${status.endState}: ${status.endReason ?? ''})` : ''}`,
  );
  if (status.dueAt) console.log(`due:   ${status.dueAt}`);
  if (status.review.credit)
    console.log(`credit: ${status.review.credit.riskBand} risk, score ${status.review.credit.score}`);
  const assignee = status.review.assignee;
  if (assignee) console.log(`held by: ${assignee.holder} since ${assignee.since}`);
  console.log('timeline:');
  for (const entry of status.audit) {
    const mark = entry.outcome === 'refused' ? '✗' : '•';
    console.log(
      `  ${mark} ${entry.at}  ${entry.actor.padEnd(22)} ${entry.action}${entry.detail ? ` — ${entry.detail}` : ''}`,
    );
  }
}

export interface ReviewRow {
  enrollmentId: string;
  company?: string;
  reviewDue?: string;
  creditRisk?: string;
  holder?: string;
  heldSince?: string;
}

export function printReviews(rows: ReviewRow[]): void {
  if (!rows.length) return console.log('no pending reviews');
  for (const row of rows) {
    const holder = row.holder ? `${row.holder} since ${row.heldSince}` : 'unclaimed';
    console.log(
      `${row.reviewDue ?? '-'.padEnd(24)}  ${row.enrollmentId}  ${(row.creditRisk ?? '-').padEnd(6)} ${holder}  ${row.company ?? ''}`,
    );
  }
}

export function printSummaries(rows: EnrollmentSummary[], empty: string): void {
  if (!rows.length) return console.log(empty);
  for (const row of rows)
    console.log(
      `${row.enrollmentId}  ${String(row.stage ?? '').padEnd(22)} ${row.endState ?? row.executionStatus}  ${row.company ?? ''}`,
    );
}

export function printStuck(rows: StuckEnrollment[]): void {
  if (!rows.length) return console.log('no stuck enrollments');
  for (const row of rows) {
    console.log(`${row.enrollmentId}  ${row.stage ?? ''}  ${row.company ?? ''}`);
    for (const reason of row.reasons) console.log(`  - ${reason}`);
  }
}
