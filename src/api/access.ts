/**
 * Who may see what: applicants see and act on their own enrollments only and never see the
 * credit result; reviewers, review leads and operators see everything.
 */
import type { EnrollmentStatus } from '../domain/status';
import { ApiError } from './errors';
import type { Caller } from './tokens';
import type { EnrollmentSummary } from '../client/visibility';

export function assertMayAccess(caller: Caller, status: EnrollmentStatus): void {
  if (caller.role === 'applicant' && status.owner !== caller.id)
    throw new ApiError(403, 'forbidden', 'this enrollment belongs to another applicant');
}

const CREDIT_AUDIT_ACTIONS = new Set(['credit check done']);

/** The status as the caller may read it. */
export function statusFor(caller: Caller, status: EnrollmentStatus): EnrollmentStatus {
  if (caller.role !== 'applicant') return status;
  const { credit: _credit, ...review } = status.review;
  return {
    ...status,
    review,
    // The audit trail quotes the credit score and risk band: keep the entry, drop its detail.
    audit: status.audit.map(({ detail, ...entry }) =>
      CREDIT_AUDIT_ACTIONS.has(entry.action) || !detail ? entry : { ...entry, detail },
    ),
  };
}

export function summaryFor(caller: Caller, summary: EnrollmentSummary) {
  const { runId: _runId, closedAt: _closedAt, owner: _owner, creditRisk, ...rest } = summary;
  return caller.role === 'applicant' ? rest : { ...rest, ...(creditRisk ? { creditRisk } : {}) };
}
