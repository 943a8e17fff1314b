/**
 * Sends notifications over SMTP with nodemailer. The Message-ID is derived from the enrollment
 * and notification key, so a retried activity sends the same message, never a new one: the
 * worker's log of sent messages (./sent-once.ts) then answers it, and where that log does not
 * reach, receivers and the dev mailbox can spot the duplicate.
 */
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { Notification } from '../../domain/notifications';
import { renderNotification, TemplateError } from './templates';

export interface MailerOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send over an unencrypted connection. */
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  /** e.g. "21Vianet CSP <csp-noreply@example.cn>" */
  from: string;
  connectionTimeoutMs: number;
  socketTimeoutMs: number;
  greetingTimeoutMs: number;
}

export interface Mailer {
  send(
    enrollmentId: string,
    notification: Notification,
    messageScope?: string,
  ): Promise<{ messageId: string; alreadySent?: true }>;
  close(): void;
}

/** A failed send. `retryable` is false when the server's answer will not change (5xx, bad input). */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly responseCode?: number,
    readonly code?: string,
    /** When trying again makes sense (a retryable failure that knows), instead of the retry policy's backoff. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export const MESSAGE_ID_DOMAIN = 'csp-enrollment.local';

/** The SMTP connections the mailer keeps open at most: as many messages go out at once. */
export const SMTP_CONNECTIONS = 5;

/**
 * `<key.enrollment.attempt@csp-enrollment.local>`, with anything outside a safe set replaced by "-".
 * The attempt (scope) keeps a later enrollment of the same organization from reusing an earlier
 * one's Message-IDs; enrollments started before attempts existed have none.
 */
export function messageIdFor(enrollmentId: string, key: string, scope?: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+|\.+$/g, '') || '-';
  const parts = [key, enrollmentId, ...(scope ? [scope] : [])].map(clean);
  return `<${parts.join('.')}@${MESSAGE_ID_DOMAIN}>`;
}

export function createMailer(options: MailerOptions): Mailer {
  for (const name of ['connectionTimeoutMs', 'socketTimeoutMs', 'greetingTimeoutMs'] as const) {
    // nodemailer's defaults run to minutes; an activity must fail well before its own timeout.
    if (!(options[name] > 0)) throw new Error(`mailer: ${name} must be a positive number`);
  }
  // Pooled: the four emails of an enrollment, and every enrollment's, reuse a few open connections
  // instead of a connection, greeting (and TLS and AUTH, on a real relay) per message. A message
  // whose connection closes under it fails like any send, and its activity's retry sends it again:
  // the pool does not resend it itself (maxRequeues 0), so retries stay the activity's.
  // maxRequeues is read by nodemailer's smtp-pool but missing from its type definitions.
  const transportOptions: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: 100,
    maxRequeues: 0,
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTLS ?? false,
    auth: options.auth,
    connectionTimeout: options.connectionTimeoutMs,
    greetingTimeout: options.greetingTimeoutMs,
    socketTimeout: options.socketTimeoutMs,
    dnsTimeout: options.connectionTimeoutMs,
    // Messages are built from our templates only; never let content pull in files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
  const transport = nodemailer.createTransport(transportOptions);

  return {
    async send(enrollmentId, notification, messageScope) {
      const messageId = messageIdFor(enrollmentId, notification.key, messageScope);
      if (notification.to.length === 0) throw new MailDeliveryError('notification has no recipients', false);
      let rendered;
      try {
        rendered = renderNotification(notification.template, notification.locale, notification.params);
      } catch (error) {
        if (error instanceof TemplateError) throw new MailDeliveryError(error.message, false);
        throw error;
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: notification.to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId,
          headers: { 'X-CSP-Enrollment-Id': enrollmentId, 'X-CSP-Notification': notification.template },
        });
      } catch (error) {
        throw classify(error);
      }
      return { messageId };
    },
    close: () => transport.close(),
  };
}

/** Configuration, authentication and envelope faults will not heal by themselves. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE', 'EREQUIRETLS']);

function classify(error: unknown): MailDeliveryError {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // Server replies may quote recipient addresses: keep them out of logs and workflow history.
  const reply = redactAddresses(e.response ?? e.message ?? String(error)).slice(0, 300);

  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) {
    return new MailDeliveryError(
      `SMTP server deferred the message (${responseCode}): ${reply}`,
      true,
      responseCode,
      code,
    );
  }
  if (responseCode !== undefined && responseCode >= 500) {
    return new MailDeliveryError(
      `SMTP server permanently rejected the message (${responseCode}): ${reply}`,
      false,
      responseCode,
      code,
    );
  }
  if (code !== undefined && PERMANENT_CODES.has(code)) {
    return new MailDeliveryError(`mail could not be sent (${code}): ${reply}`, false, undefined, code);
  }
  // Connection refused or dropped, DNS, TLS handshake, timeouts: the next attempt may get through.
  return new MailDeliveryError(
    `SMTP connection failed (${code ?? 'unknown'}): ${reply}`,
    true,
    undefined,
    code,
  );
}

function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'@]+@[^\s<>"']+/g, '<redacted>');
}
