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
  const { account, phoneVerification: phone, agreement } = status;
  if (account.problem) console.log(`account details to correct: ${account.problem.message}`);
  if (account.tenantDomain)
    console.log(`work account: ${account.tenantDomain}${account.existing ? ' (existing)' : ''}`);
  if (account.adminSignInName) console.log(`global admin signs in as: ${account.adminSignInName}`);
  if (phone.required)
    console.log(
      `phone: ${phone.verified ? 'verified' : `${phone.codesSent} code(s) sent by ${phone.channel ?? 'sms'}, ${phone.attemptsLeft} attempts left`}`,
    );
  if (status.review.credit)
    console.log(`credit: ${status.review.credit.riskBand} risk, score ${status.review.credit.score}`);
  for (const flag of status.review.flags ?? []) console.log(`flag: ${flag.detail}`);
  if (agreement.version)
    console.log(
      `agreement: ${agreement.name ?? 'agreement'} ${agreement.version}${agreement.acceptance ? ` — signed ${agreement.acceptance.acceptedAt}` : ''}`,
    );
  if (status.incident)
    console.log(
      `incident at ${status.incident.step} since ${status.incident.openedAt}: ${status.incident.reason}`,
    );
  for (const mail of status.undelivered ?? [])
    console.log(`undelivered email: ${mail.key} (${mail.template} to ${mail.to}): ${mail.reason}`);
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

export function printReviews(rows: EnrollmentSummary[]): void {
  if (!rows.length) return console.log('no pending reviews');
  for (const row of rows) {
    const holder = row.reviewAssignee ? `${row.reviewAssignee} since ${row.heldSince ?? '?'}` : 'unclaimed';
    console.log(
      `${row.reviewDue ?? '-'.padEnd(24)}  ${row.enrollmentId}  ${(row.creditRisk ?? '-').padEnd(6)} ${holder}  ${row.company ?? ''}`,
    );
  }
}

/** One page of a list, then how to ask for the next. */
export function printPage<T>(page: { items: T[]; nextPageToken?: string }, print: (rows: T[]) => void): void {
  print(page.items);
  if (page.nextPageToken) console.log(`more: --page-token ${page.nextPageToken}`);
}

export function printSummaries(rows: EnrollmentSummary[], empty: string): void {
  if (!rows.length) return console.log(empty);
  for (const row of rows)
    console.log(
      `${row.enrollmentId}  ${String(row.stage ?? '').padEnd(22)} ${row.endState ?? row.executionStatus}` +
        `${row.incident ? `  incident at ${row.incident}` : ''}  ${row.company ?? ''}`,
    );
}

export function printStuck(rows: StuckEnrollment[]): void {
  if (!rows.length) return console.log('no stuck enrollments');
  for (const row of rows) {
    console.log(`${row.enrollmentId}  ${row.stage ?? ''}  ${row.company ?? ''}`);
    for (const reason of row.reasons) console.log(`  - ${reason}`);
  }
}
