/**
 * Why an enrollment failed, as the applicant is told it: which part of the guide could not be
 * done, in plain words. Never the step's technical detail (activity names, HTTP answers): staff
 * keep that in the incident and the audit trail; emails say the cause in the applicant's language.
 */
export const FAILURE_CAUSES = [
  /** Every verification code was used without a right one: the applicant's part. */
  'phone-codes-used-up',
  // A step of the guide that failed for good on the program's side (its retries, an operator).
  'work-account',
  'phone-verification',
  'partner-account',
  'application',
  'credit-check',
  'agreement',
  'provisioning',
  'getting-started',
  'technical',
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** The part of the guide each step of the flow belongs to (steps are named as in incidents). */
const STEP_CAUSES: Record<string, FailureCause> = {
  verifyWorkAccount: 'work-account',
  createWorkAccount: 'work-account',
  checkPhoneVerification: 'phone-verification',
  sendVerificationCode: 'phone-verification',
  checkVerificationCode: 'phone-verification',
  createPartnerAccount: 'partner-account',
  checkMpnMembership: 'application',
  submitCspApplication: 'application',
  runCreditCheck: 'credit-check',
  getAgreementOffer: 'agreement',
  recordAgreementAcceptance: 'agreement',
  startProvisioning: 'provisioning',
  followProvisioning: 'provisioning',
  provisioning: 'provisioning',
  getAccountSettings: 'getting-started',
};

export const failureCauseOf = (step: string | undefined): FailureCause =>
  (step !== undefined && STEP_CAUSES[step]) || 'technical';

const TECHNICAL = 'because of a technical problem that persisted; nothing you did caused it';

/** The end reason in plain English, for the status and the run's result. */
export const FAILURE_REASONS: Record<FailureCause, string> = {
  'phone-codes-used-up': "the organization's phone number could not be verified: every code was used",
  'work-account': `the work account could not be set up in Partner Center ${TECHNICAL}`,
  'phone-verification': `the phone verification could not be done ${TECHNICAL}`,
  'partner-account': `the Partner Center account could not be created ${TECHNICAL}`,
  application: `the application could not be checked and submitted to Partner Center ${TECHNICAL}`,
  'credit-check': `the credit check could not be done ${TECHNICAL}`,
  agreement: `the signed agreement could not be recorded in Partner Center ${TECHNICAL}`,
  provisioning: `the Partner Center account could not be configured ${TECHNICAL}`,
  'getting-started': `the account's getting-started tasks could not be followed ${TECHNICAL}`,
  technical: `the enrollment could not go on ${TECHNICAL}`,
};

/** The end reason: the cause, and what the program's operator who ended it wrote, if anyone did. */
export function failureReason(cause: FailureCause, note?: string): string {
  return note ? `${FAILURE_REASONS[cause]}. The program's note: ${note}` : FAILURE_REASONS[cause];
}
