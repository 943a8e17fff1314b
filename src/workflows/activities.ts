/**
 * Activity stubs with their timeouts and retry policies, grouped by how the called system behaves.
 * `withSummary` labels a call for Temporal UI so a run reads as the story of the enrollment.
 */
import type { Duration, RetryPolicy } from '@temporalio/common';
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { EnrollmentActivities } from '../activities';

const retryForever: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
};

/** Calls to Partner Center, the credit bureau and the SMS gateway: short calls, retried for a day. */
const externalCall: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { ...retryForever, nonRetryableErrorTypes: ['NotAnMpnMember', 'CreditDeclined'] },
};

/** Mail: SMTP may be down for a while; a 5xx is permanent (non-retryable from the activity). */
const mail: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 days',
  retry: retryForever,
};

/**
 * The durable audit log: a local file or a database, quick when up. Retried until it answers (the
 * entries wait in the workflow's state meanwhile, and nothing of the flow waits for them).
 */
const auditLog: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { ...retryForever, maximumInterval: '1 minute' },
};

/** Checking a phone code answers an applicant who is waiting: fail fast. */
const interactive: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 3 },
};

type Activities = EnrollmentActivities;

/**
 * The activity `name`, labelled for Temporal UI. `answering` marks a call made while a person waits
 * for the answer of their action (an update): it fails fast instead of retrying for a day.
 */
export function withSummary<K extends keyof Activities>(
  name: K,
  summary: string,
  answering = name === 'checkVerificationCode',
): Activities[K] {
  const options =
    name === 'sendNotification'
      ? mail
      : name === 'writeAuditEntries'
        ? auditLog
        : answering
          ? interactive
          : externalCall;
  return proxyActivities<Activities>({ ...options, summary })[name];
}

/** Following provisioning takes hours: heartbeats tell a lost worker within the heartbeat timeout. */
export function followProvisioning(
  timeout: string,
  heartbeatTimeout: string,
  summary: string,
): Activities['awaitProvisioning'] {
  return proxyActivities<Activities>({
    startToCloseTimeout: timeout as Duration,
    heartbeatTimeout: heartbeatTimeout as Duration,
    retry: { ...retryForever, maximumAttempts: 5 },
    summary,
  }).awaitProvisioning;
}
