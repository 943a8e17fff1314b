/**
 * Pages of the audit trail: the durable log, completed by the status's entries the workflow has
 * not written yet; no gap, no repeat, tokens by entry number; applicants page through their view.
 */
import type { LoggedAuditEntry } from '../../src/integrations/audit/audit-log';
import { auditPage, decodeAuditToken } from '../../src/api/audit-pages';
import { applicantAuditEntry } from '../../src/domain/applicant-view';
import type { AuditEntry, EnrollmentStatus } from '../../src/domain/status';
import { MemoryAuditLog } from '../harness/memory-audit-log';

const ref = { enrollmentId: 'enrollment-91310000MA1FL8XQ3K', attemptId: 'attempt-1' };
const entry = (seq: number): LoggedAuditEntry => ({
  seq,
  at: new Date(Date.UTC(2026, 10, 20, 8, 0, seq)).toISOString(),
  // Every third entry is a reviewer's, which the applicant's view leaves out.
  ...(seq % 3 === 0
    ? { actor: 'reviewer:reviewer-1', action: 'review claimed' }
    : { actor: 'system', action: `stage review`, detail: `due in ${seq} days` }),
  outcome: 'done',
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));

/** 1-230 in the log; the status keeps 201-236 (231-236 not written yet). */
async function trail() {
  const log = new MemoryAuditLog();
  await log.append(ref, range(1, 230));
  const status = { enrollmentId: ref.enrollmentId, attemptId: ref.attemptId, audit: range(201, 236) };
  return { log, status: status as unknown as EnrollmentStatus };
}

async function allPages(view: (e: AuditEntry) => AuditEntry | undefined, pageSize: number) {
  const { log, status } = await trail();
  const seen: AuditEntry[] = [];
  let after = 0;
  let pages = 0;
  for (;;) {
    const page = await auditPage({ status, log, view, pageSize, after });
    pages += 1;
    seen.push(...page.items);
    if (!page.nextPageToken) return { seen, pages };
    after = decodeAuditToken(page.nextPageToken)!;
  }
}

test('staff page through the log and the status’s newest entries without a gap or a repeat', async () => {
  const { seen, pages } = await allPages((e) => e, 50);
  expect(seen.map((e) => e.seq)).toEqual(range(1, 236).map((e) => e.seq));
  expect(pages).toBe(5);
});

test('applicants page through their view only, pages full until the last', async () => {
  const { seen } = await allPages(applicantAuditEntry, 25);
  expect(seen.map((e) => e.seq)).toEqual(
    range(1, 236)
      .filter((e) => e.seq % 3 !== 0)
      .map((e) => e.seq),
  );
  expect(seen.every((e) => e.actor === 'system')).toBe(true);
});

test('without a log the status’s entries are the trail; unnumbered ones are numbered by position', async () => {
  const status = {
    enrollmentId: ref.enrollmentId,
    audit: [1, 2, 3].map((seq) => ({ ...entry(seq), seq: undefined })),
  } as unknown as EnrollmentStatus;
  const page = await auditPage({ status, view: (e) => e, pageSize: 2, after: 0 });
  expect(page.items.map((e) => e.seq)).toEqual([1, 2]);
  const next = await auditPage({
    status,
    view: (e) => e,
    pageSize: 2,
    after: decodeAuditToken(page.nextPageToken!)!,
  });
  expect(next).toEqual({ items: [expect.objectContaining({ seq: 3 })] });
});

test('page tokens are ours or nothing', () => {
  expect(decodeAuditToken('not-a-token')).toBeUndefined();
  expect(decodeAuditToken(Buffer.from('{"after":-1}').toString('base64url'))).toBeUndefined();
  expect(decodeAuditToken(Buffer.from('{"after":7}').toString('base64url'))).toBe(7);
});
