/**
 * The moments of the program at which someone gets an email. The workflow picks the moment and
 * its parameters; templates (src/integrations/mail) turn them into text and HTML per locale.
 * Verification codes are never among them: they go by SMS only.
 */
import { z } from 'zod';

export const LOCALES = ['zh-CN', 'en-US', 'fr-FR'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const NOTIFICATION_TEMPLATES = [
  'account-created',
  'application-reminder',
  'application-received',
  'information-requested',
  'review-reminder',
  'review-escalated',
  'approved',
  'rejected',
  'agreement-reminder',
  'agreement-lapsed',
  'account-ready',
  'withdrawn',
  'expired',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** Values a template may use; each template documents which it needs. No passwords, ever. */
export interface NotificationParams {
  companyName: string;
  enrollmentId: string;
  recipientName?: string;
  /** account-created, account-ready: where and as whom to sign in. */
  signInName?: string;
  signInUrl?: string;
  /** information-requested: what the reviewer asked. */
  question?: string;
  /** rejected, expired, withdrawn: why. */
  reason?: string;
  /** rejected for a non-member: where to join the partner network. */
  joinUrl?: string;
  /** reminders: the deadline, ISO-8601. */
  dueAt?: string;
  /** agreement: version offered. */
  agreementVersion?: string;
}

export interface Notification {
  /** Unique per enrollment and moment, e.g. "review-reminder-3"; makes the Message-ID deterministic. */
  key: string;
  template: NotificationTemplate;
  to: string[];
  locale: Locale;
  params: NotificationParams;
}
