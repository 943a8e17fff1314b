/**
 * Who may see what: applicants see and act on their own enrollments only, through the allow-listed
 * view of src/domain/applicant-view.ts; reviewers, review leads and operators see everything. The
 * enrollment's global admin, proven by their sign-in's email, reads it and signs its agreement.
 */
import { applicantView } from '../domain/applicant-view';
import type { ApplicantStatus, EnrollmentStatus } from '../domain/status';
import { AGREEMENT_NAME, sameEmail } from '../domain/agreement';
import { ApiError } from './errors';
import type { Caller } from './tokens';
import type { EnrollmentSummary } from '../client/visibility';

export function assertMayAccess(caller: Caller, status: EnrollmentStatus): void {
  if (caller.role === 'applicant' && status.owner !== caller.id)
    throw new ApiError(403, 'forbidden', 'this enrollment belongs to another applicant');
}

/** The caller is the person the enrollment names as its global admin, by a proven email. */
function isGlobalAdmin(caller: Caller, status: EnrollmentStatus): boolean {
  const admin = status.globalAdmin?.email;
  return caller.role === 'applicant' && !!caller.email && !!admin && sameEmail(caller.email, admin);
}

/** Its owner, or its global admin (who reads the agreement offered before signing it). */
export function assertMayRead(caller: Caller, status: EnrollmentStatus): void {
  if (!isGlobalAdmin(caller, status)) assertMayAccess(caller, status);
}

/**
 * The guide's step 6: the global admin signs in with the credentials saved at step 4 and selects
 * *Accept and continue*. Only the signed-in global admin signs — whoever started the enrollment;
 * an owner who is someone else, or a sign-in without a proven email, is refused.
 */
export function assertMaySign(caller: Caller, status: EnrollmentStatus): void {
  if (isGlobalAdmin(caller, status)) return;
  assertMayAccess(caller, status);
  if (!status.globalAdmin)
    throw new ApiError(
      403,
      'forbidden',
      "this enrollment's status names no global admin (it started before they were recorded): an operator records the signature with the CLI",
    );
  throw new ApiError(
    403,
    'forbidden',
    caller.email
      ? `the ${AGREEMENT_NAME} is signed by the enrollment's global admin, signed in as themselves; this sign-in is ${caller.email}'s`
      : `the ${AGREEMENT_NAME} is signed by the enrollment's global admin, signed in as themselves; this sign-in proves no email (OIDC: a verified email claim; static tokens: token=applicant:id:email)`,
  );
}

/** The status as the caller may read it: staff see all of it, applicants the allow-listed view. */
export function statusFor(caller: Caller, status: EnrollmentStatus): EnrollmentStatus | ApplicantStatus {
  return caller.role === 'applicant' ? applicantView(status) : status;
}

/** What an applicant sees of a list row: an allow-list, as for the status. */
const APPLICANT_FIELDS = [
  'enrollmentId',
  'company',
  'stage',
  'endState',
  'executionStatus',
  'startedAt',
  'dueAt',
  'stageSince',
  'mpnId',
] as const satisfies readonly (keyof EnrollmentSummary)[];

export function summaryFor(caller: Caller, summary: EnrollmentSummary) {
  if (caller.role === 'applicant')
    return Object.fromEntries(
      APPLICANT_FIELDS.flatMap((field) => (summary[field] === undefined ? [] : [[field, summary[field]]])),
    );
  const { runId: _runId, closedAt: _closedAt, owner: _owner, ...staff } = summary;
  return staff;
}
