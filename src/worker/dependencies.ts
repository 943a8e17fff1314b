/** Builds the activities' external-system clients from configuration. */
import { Runtime } from '@temporalio/worker';
import path from 'node:path';
import type { ActivityDependencies } from '../activities';
import { auditLogFrom } from '../integrations/audit/from-config';
import { dataPath, type Config } from '../config';
import { guideLinks } from '../domain/links';
import { HttpCreditBureau } from '../integrations/credit-bureau/http-credit-bureau';
import { withBreaker } from '../integrations/mail/breaker';
import { createMailer, SMTP_CONNECTIONS, type Mailer } from '../integrations/mail/mailer';
import { SentLog, sendingOnce } from '../integrations/mail/sent-once';
import { HttpPartnerCenter } from '../integrations/partner-center/http-partner-center';
import { HttpSmsGateway } from '../integrations/sms/http-sms-gateway';

/** Where the simulator answers when no real endpoint is configured. */
export const simulatorUrl = (config: Config) => `http://127.0.0.1:${config.CSP_SIMULATOR_PORT}`;

export function createDependencies(config: Config): ActivityDependencies & { mail: Mailer } {
  const http = (url: string | undefined, apiKey: string | undefined) => ({
    baseUrl: url ?? simulatorUrl(config),
    apiKey,
    timeoutMs: config.CSP_HTTP_TIMEOUT_MS,
  });
  return {
    auditLog: auditLogFrom(config),
    partnerCenter: new HttpPartnerCenter(
      http(config.CSP_PARTNER_CENTER_URL, config.CSP_PARTNER_CENTER_API_KEY),
    ),
    creditBureau: new HttpCreditBureau(http(config.CSP_CREDIT_BUREAU_URL, config.CSP_CREDIT_BUREAU_API_KEY)),
    sms: new HttpSmsGateway(http(config.CSP_SMS_GATEWAY_URL, config.CSP_SMS_GATEWAY_API_KEY)),
    mail: notificationMail(config),
    reviewers: config.CSP_REVIEWERS,
    reviewLeads: config.CSP_REVIEW_LEADS,
    operators: config.CSP_OPERATORS,
    links: guideLinks({
      enrollment: config.CSP_LINK_ENROLLMENT,
      dashboard: config.CSP_LINK_DASHBOARD,
      mpnJoin: config.CSP_LINK_MPN_JOIN,
      howToBase: config.CSP_LINK_HOWTO_BASE,
      docsBase: config.CSP_LINK_DOCS_BASE,
    }),
    caseUrlTemplate: `${config.CSP_CONSOLE_URL.replace(/\/+$/, '')}/#enrollment={id}`,
  };
}

/**
 * The mailer as the activities use it: each email once (a send retried after it went through is
 * answered from the log), and while the SMTP server does not answer, sends fail at once instead
 * of holding the activity slots the flow needs.
 */
function notificationMail(config: Config): Mailer {
  const smtp = createMailer({
    host: config.SMTP_HOST ?? '127.0.0.1',
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    ...(config.SMTP_USER && config.SMTP_PASSWORD
      ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } }
      : {}),
    from: config.CSP_MAIL_FROM,
    // Well below the notification activity's 1-minute start-to-close timeout.
    connectionTimeoutMs: 10_000,
    greetingTimeoutMs: 10_000,
    socketTimeoutMs: 30_000,
  });
  return sendingOnce(
    withBreaker(smtp, { failuresToOpen: 5, openMs: 10_000, concurrency: SMTP_CONNECTIONS }),
    sentMailLog(config),
    (message) => Runtime.instance().logger.warn(message),
  );
}

/** The Message-IDs the SMTP server accepted, by enrollment: read by the mailer and the retention. */
export function sentMailLog(config: Config): SentLog {
  return new SentLog(
    config.CSP_MAIL_SENT_DIR ? path.resolve(config.CSP_MAIL_SENT_DIR) : dataPath(config, 'mail-sent'),
  );
}
