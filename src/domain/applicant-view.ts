/**
 * What an applicant sees of their enrollment: an allow-list, built field by field, so that nothing
 * internal reaches them by default — no credit data, risk hints, approval counts, reviewer
 * identities or internal comments. Their own submissions, the questions asked of them, decisions
 * and reasons meant for them, the agreement and provisioning are theirs to see.
 */
import type { ApplicantStatus, AuditEntry, EnrollmentStatus } from './status';

/** Timeline entries an applicant sees, and whether their detail is meant for them too. */
const VISIBLE: Record<string, 'with detail' | 'without detail'> = {
  'account details refused': 'with detail',
  'account details corrected': 'with detail',
  'work account created': 'with detail',
  'work account found': 'with detail',
  'work account found (its domain was registered for this organization before)': 'with detail',
  'partner account exists': 'without detail',
  'partner account created': 'without detail',
  'Partner Center asks for phone verification': 'with detail',
  'Partner Center did not ask for phone verification': 'without detail',
  'phone code sent': 'with detail',
  'new phone code requested': 'without detail',
  'wrong phone code': 'with detail',
  'phone code not checked': 'with detail',
  'phone verified': 'without detail',
  'application submitted': 'with detail',
  'MPN membership confirmed': 'with detail',
  'application submitted to Partner Center': 'with detail',
  'information requested': 'with detail',
  'information provided': 'without detail',
  'document attached': 'with detail',
  'applicant told the review goes on': 'without detail',
  'application approved': 'without detail',
  rejected: 'with detail',
  'agreement signed': 'with detail',
  'agreement acceptance recorded': 'with detail',
  'provisioning started': 'with detail',
  'provisioning ready': 'without detail',
  'getting-started task done': 'with detail',
  'getting started complete': 'without detail',
  'getting started left unfinished': 'with detail',
  'withdrawal requested': 'with detail',
};

/**
 * What the applicant is told when the credit check declined: the bureau's reason is credit data,
 * for staff only (the status's `endReason` and the "credit check declined" entry keep it).
 */
export const CREDIT_DECLINED_FOR_APPLICANT =
  'the application was not approved after the program’s checks; 21Vianet can tell you more';

/** Enrollments that ended before `applicantEndReason` existed quote the bureau in their reason. */
const quotesTheBureau = (text: string | undefined) => !!text?.startsWith('credit check declined');

function endReasonFor(status: EnrollmentStatus): string | undefined {
  if (status.applicantEndReason) return status.applicantEndReason;
  return quotesTheBureau(status.endReason) ? CREDIT_DECLINED_FOR_APPLICANT : status.endReason;
}

/** Who did it, as the applicant may know: themselves, 21Vianet, or the system. */
function actorFor(actor: string): string {
  if (actor === 'system') return 'system';
  return actor.startsWith('applicant:') ? actor : '21Vianet';
}

/** The entry as the applicant may read it, or undefined when it is not theirs to see. */
export function applicantAuditEntry(entry: AuditEntry): AuditEntry | undefined {
  const { action } = entry;
  const rule =
    VISIBLE[action] ??
    (action.startsWith('stage ') || action.startsWith('enrollment ') ? 'with detail' : undefined) ??
    (/^reminder #\d+ to the applicant$/.test(action) || /^getting-started reminder #\d+/.test(action)
      ? 'without detail'
      : undefined) ??
    (/^email .+ (sent|undelivered)$/.test(action) && entry.detail === 'to the applicant'
      ? 'with detail'
      : undefined);
  if (!rule) return undefined;
  const detail = quotesTheBureau(entry.detail) ? CREDIT_DECLINED_FOR_APPLICANT : entry.detail;
  return {
    ...(entry.seq !== undefined ? { seq: entry.seq } : {}),
    at: entry.at,
    actor: actorFor(entry.actor),
    action,
    outcome: entry.outcome,
    ...(rule === 'with detail' && detail ? { detail } : {}),
  };
}

export function applicantView(status: EnrollmentStatus): ApplicantStatus {
  const { account, phoneVerification: phone, review, agreement, provisioning } = status;
  return {
    enrollmentId: status.enrollmentId,
    companyName: status.companyName,
    registrationNumber: status.registrationNumber,
    organizationPhone: status.organizationPhone,
    globalAdmin: status.globalAdmin,
    owner: status.owner,
    stage: status.stage,
    endState: status.endState,
    endReason: endReasonFor(status),
    startedAt: status.startedAt,
    dueAt: status.dueAt,
    account: {
      workAccount: account.workAccount,
      tenantDomain: account.tenantDomain,
      existing: account.existing,
      partnerAccountId: account.partnerAccountId,
      adminSignInName: account.adminSignInName,
      problem: account.problem,
    },
    phoneVerification: {
      required: phone.required,
      // How a code would come, named only when Partner Center asks for one.
      channel: phone.required ? phone.channel : undefined,
      verified: phone.verified,
      codesSent: phone.codesSent,
      attemptsLeft: phone.attemptsLeft,
      codeExpiresAt: phone.codeExpiresAt,
      sending: phone.sending,
    },
    application: status.application,
    applicationReference: status.applicationReference,
    review: {
      startedAt: review.startedAt,
      informationRequests: review.informationRequests.map(
        ({ question, documentRequested, askedAt, answer, answeredAt }) => ({
          question,
          ...(documentRequested !== undefined ? { documentRequested } : {}),
          askedAt,
          ...(answer !== undefined ? { answer, answeredAt } : {}),
        }),
      ),
      /** Reviewers' comments they chose to share, without who wrote them. */
      comments: review.approvals
        .filter((approval) => approval.shared && approval.comment)
        .map(({ comment, at }) => ({ comment: comment!, at })),
    },
    agreement: {
      name: agreement.name,
      version: agreement.version,
      textDigest: agreement.textDigest,
      url: agreement.url,
      acceptance: agreement.acceptance,
    },
    provisioning: { state: provisioning.state, readyAt: provisioning.readyAt },
    /** Their own documents, without who attached them on their side. */
    documents: (status.documents ?? []).map(
      ({ id, name, type, size, sha256, attachedAt, attachedTo, question }) => ({
        id,
        name,
        type,
        size,
        sha256,
        attachedAt,
        attachedTo,
        ...(question !== undefined ? { question } : {}),
      }),
    ),
    gettingStarted: status.gettingStarted,
    audit: status.audit.map(applicantAuditEntry).filter((entry): entry is AuditEntry => entry !== undefined),
  };
}
