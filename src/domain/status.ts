/**
 * The enrollment's state as the status query returns it: stage, deadlines, what happened so far
 * and the audit trail of who did what, when and why. Staff see all of it; applicants see the
 * allow-listed view of ./applicant-view.
 */
import type { AuditEntry, EnrollmentStatus } from './status-schema';

/** An audit entry as the durable audit log holds it: numbered within its attempt. */
export type LoggedAuditEntry = AuditEntry & { seq: number };

// The status's shape is one zod schema (./status-schema); workflow code needs its types only.
export type {
  AccountProblem,
  AccountState,
  AgreementAcceptance,
  AgreementState,
  ApplicantStatus,
  Approval,
  AttachedDocument,
  AuditEntry,
  CreditResult,
  EnrollmentStatus,
  EnrollmentSummary,
  GettingStartedState,
  Incident,
  InformationRequest,
  PhoneVerificationState,
  ProvisioningState,
  ReviewFlag,
  ReviewState,
  RiskBand,
  UndeliveredNotification,
} from './status-schema';

/** Stages in the guide's order. */
export const STAGES = [
  'account-setup',
  'account-correction',
  'phone-verification',
  'application',
  'review',
  'information-requested',
  'agreement',
  'provisioning',
  'getting-started',
  'ended',
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages where the enrollment waits for someone, each with a deadline or a clock. */
export const WAITING_STAGES = [
  'account-correction',
  'phone-verification',
  'application',
  'review',
  'information-requested',
  'agreement',
  'provisioning',
  'getting-started',
] as const satisfies readonly Stage[];

/** Where the applicant may still withdraw: once the account is provisioned there is nothing to withdraw. */
export const WITHDRAWABLE_STAGES = WAITING_STAGES.filter((stage) => stage !== 'getting-started');

/** The applicant can accept: the `agreement` stage is entered at approval, the offer follows it. */
export const agreementOffered = (status: Pick<EnrollmentStatus, 'stage' | 'agreement'>): boolean =>
  status.stage === 'agreement' && !!status.agreement.version;

/** A verification code has reached the organization's phone (the stage shows while it is on its way). */
export const codeArrived = (
  status: Pick<EnrollmentStatus, 'stage' | 'phoneVerification'>,
  codeNumber = 1,
): boolean =>
  status.stage === 'phone-verification' &&
  !status.phoneVerification.sending &&
  status.phoneVerification.codesSent >= codeNumber &&
  status.phoneVerification.attemptsLeft > 0;

/** No email of the enrollment is on its way (they go beside the flow, so a stage may show first). */
export const emailsSettled = (status: Pick<EnrollmentStatus, 'emailsInFlight'>): boolean =>
  !status.emailsInFlight?.length;

export const END_STATES = ['completed', 'rejected', 'withdrawn', 'expired', 'failed'] as const;
export type EndState = (typeof END_STATES)[number];

export interface EnrollmentOutcome {
  endState: EndState;
  reason?: string;
}
