/**
 * Runs the dev mailbox as a process:
 *   DEV_MAILBOX_SMTP_PORT (1025), DEV_MAILBOX_HTTP_PORT (8025), DEV_MAILBOX_HOST (127.0.0.1),
 *   DEV_MAILBOX_STORE (JSON-lines file; unset keeps mail in memory only); it logs JSON lines at
 *   CSP_LOG_LEVEL.
 */
import { z } from 'zod';
import { portSetting, settingsFrom } from '../../config/values';
import { createLogger, logLevelFrom, useLevel } from '../../process/logger';
import { stopOnSignal } from '../../process/stop-on-signal';
import { startDevMailbox } from './mailbox';

const MailboxEnv = z.object({
  DEV_MAILBOX_SMTP_PORT: portSetting.default(1025),
  DEV_MAILBOX_HTTP_PORT: portSetting.default(8025),
  DEV_MAILBOX_HOST: z.string().default('127.0.0.1'),
  DEV_MAILBOX_STORE: z.string().optional(),
});

const log = createLogger().child({ component: 'mailbox' });

async function main(): Promise<void> {
  useLevel(log, logLevelFrom());
  const env = settingsFrom(MailboxEnv, process.env, 'dev mailbox');
  const mailbox = await startDevMailbox({
    port: env.DEV_MAILBOX_SMTP_PORT,
    httpPort: env.DEV_MAILBOX_HTTP_PORT,
    host: env.DEV_MAILBOX_HOST,
    storeFile: env.DEV_MAILBOX_STORE,
  });
  log.info({ smtpPort: mailbox.smtpPort, url: mailbox.httpUrl }, 'development mailbox listening');

  stopOnSignal('dev mailbox', () => mailbox.close(), log);
}

main().catch((error: unknown) => {
  log.fatal({ error }, 'development mailbox start-up failed');
  process.exit(1);
});
