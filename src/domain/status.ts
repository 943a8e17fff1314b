/**
 * The enrollment's state as the status query returns it: stage, deadlines, what happened so far
 * and the audit trail of who did what, when and why.
 */
import type { RiskBand } from '../integrations/contracts';
import type { CspApplication } from './enrollment';

export const WAITING_STAGES = [
  'phone-verification',
  'application',
  'review',
  'information-requested',
  'agreement',
  'provisioning',
] as const;
export const STAGES = ['account-setup', ...WAITING_STAGES, 'ended'] as const;
export type Stage = (typeof STAGES)[number];

/** The applicant can accept: the `agreement` stage is entered at approval, the offer follows it. */
export const agreementOffered = (status: Pick<EnrollmentStatus, 'stage' | 'agreement'>): boolean =>
  status.stage === 'agreement' && !!status.agreement.version;

export const END_STATES = ['completed', 'rejected', 'withdrawn', 'expired', 'failed'] as const;
export type EndState = (typeof END_STATES)[number];

export interface AuditEntry {
  at: string;
  /** "system" for automatic steps, else "<role>:<id>". */
  actor: string;
  action: string;
  outcome: 'done' | 'refused';
  detail?: string;
}

export interface CreditResult {
  decision: 'approved' | 'declined';
  score: number;
  riskBand: RiskBand;
  reportReference: string;
}

export interface ReviewState {
  startedAt?: string;
  dueAt?: string;
  escalatedAt?: string;
  expiresAt?: string;
  credit?: CreditResult;
  approvalsNeeded: number;
  /** Who holds the review (claimed it, or was assigned it by a review lead), and since when. */
  assignee?: { holder: string; since: string; assignedBy?: string };
  approvals: { reviewer: string; at: string; comment?: string }[];
  informationRequests: {
    question: string;
    askedBy: string;
    askedAt: string;
    answer?: string;
    answeredAt?: string;
  }[];
}

export interface AgreementAcceptance {
  acceptedBy: string;
  acceptedAt: string;
  version: string;
  textDigest: string;
}

export interface EnrollmentStatus {
  enrollmentId: string;
  companyName: string;
  /** The applicant account that owns it (see EnrollmentRequest.owner). */
  owner?: string;
  stage: Stage;
  endState?: EndState;
  endReason?: string;
  startedAt: string;
  /** The deadline of the stage that is waiting, if any. */
  dueAt?: string;
  account: { tenantDomain?: string; partnerAccountId?: string; adminSignInName?: string };
  phoneVerification: { verified: boolean; codesSent: number; attemptsLeft: number; codeExpiresAt?: string };
  application?: CspApplication;
  review: ReviewState;
  agreement: { version?: string; textDigest?: string; url?: string; acceptance?: AgreementAcceptance };
  provisioning: { attempts: number; state?: string; provisioningId?: string; readyAt?: string };
  audit: AuditEntry[];
}

export interface EnrollmentOutcome {
  endState: EndState;
  reason?: string;
}
