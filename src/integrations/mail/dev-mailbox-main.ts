/**
 * Runs the dev mailbox as a process:
 *   DEV_MAILBOX_SMTP_PORT (1025), DEV_MAILBOX_HTTP_PORT (8025), DEV_MAILBOX_HOST (127.0.0.1),
 *   DEV_MAILBOX_STORE (JSON-lines file; unset keeps mail in memory only).
 */
import { closeOnSignal } from '../stop-on-signal';
import { startDevMailbox } from './dev-mailbox';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port, got "${raw}"`);
  return port;
}

async function main(): Promise<void> {
  const mailbox = await startDevMailbox({
    port: portFromEnv('DEV_MAILBOX_SMTP_PORT', 1025),
    httpPort: portFromEnv('DEV_MAILBOX_HTTP_PORT', 8025),
    host: process.env.DEV_MAILBOX_HOST || '127.0.0.1',
    storeFile: process.env.DEV_MAILBOX_STORE || undefined,
  });
  console.log(`Dev mailbox: SMTP on port ${mailbox.smtpPort}, web page at ${mailbox.httpUrl}`);

  closeOnSignal('dev mailbox', () => mailbox.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
