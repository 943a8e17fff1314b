/**
 * The moments of the program at which someone gets an email. The workflow picks the moment and
 * its parameters; templates (src/integrations/mail) turn them into text and HTML per locale.
 * Verification codes are never among them: they go by SMS or voice call only.
 */
import { z } from 'zod';
import type { FailureCause } from './failure-causes';
import type { GettingStartedTask } from './getting-started';
import type { GuideLinks } from './links';

export const LOCALES = ['zh-CN', 'en-US', 'fr-FR'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const NOTIFICATION_TEMPLATES = [
  'account-details-needed',
  'account-created',
  'application-reminder',
  'application-received',
  'information-requested',
  'review-reminder',
  'review-escalated',
  'review-overdue',
  'review-in-progress',
  'incident-opened',
  'approved',
  'rejected',
  'agreement-reminder',
  'agreement-lapsed',
  'account-ready',
  'getting-started-reminder',
  'completed',
  'withdrawn',
  'expired',
  'failed',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** Who an email goes to: the applicant's address, or a team the worker's configuration names. */
export type Recipients = string[] | 'reviewers' | 'review-leads' | 'operators';

/** Values a template may use; each template documents which it needs. No passwords, ever. */
export interface NotificationParams {
  companyName: string;
  enrollmentId: string;
  recipientName?: string;
  /** account-created, account-ready: as whom to sign in. */
  signInName?: string;
  /** The guide's addresses (filled in by the activity from configuration). */
  links?: GuideLinks;
  /** Where reviewers open the case (review emails), when the console's address is configured. */
  caseUrl?: string;
  /** information-requested: what the reviewer asked. */
  question?: string;
  /** account-details-needed, rejected, expired, withdrawn: why (failed: only in emails queued before `failure`). */
  reason?: string;
  /** failed: what could not be done, said in the applicant's language; never the technical detail. */
  failure?: FailureCause;
  /** failed: what the program's operator who ended the enrollment wrote to the applicant. */
  note?: string;
  /** rejected: the applicant is not a partner network member (the email gives the way to join). */
  notAMember?: boolean;
  /** reminders: the deadline, ISO-8601. */
  dueAt?: string;
  /** agreement: version offered. */
  agreementVersion?: string;
  /** getting-started-reminder, account-ready, completed: the account-settings tasks still open. */
  tasksLeft?: GettingStartedTask[];
  /** review-overdue, review-in-progress, incident-opened: days waited so far. */
  waitingDays?: number;
  /** incident-opened: the step that failed. */
  step?: string;
  /** information-requested: a document the answer must come with. */
  documentRequested?: string;
}

export interface Notification {
  /** Unique per enrollment and moment, e.g. "review-reminder-3"; makes the Message-ID deterministic. */
  key: string;
  template: NotificationTemplate;
  to: string[];
  locale: Locale;
  params: NotificationParams;
}
