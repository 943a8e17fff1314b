#!/usr/bin/env node
/** `npm run api`: the HTTP API alone, against the Temporal server and task queue of the configuration. */
// First: the modules imported after it are compiled once, then taken from the cache.
import '../process/compile-cache';
import { auditLogFrom } from '../integrations/audit/from-config';
import { encryptedDataConverter } from '../codec/data-converter';
import { keyRingFrom } from '../codec/from-config';
import { loadConfig } from '../config';
import { connectClient, temporalSettings } from '../config/temporal';
import { loadApiConfig } from './config';
import { createLogger, useLevel } from '../process/logger';
import { stopOnSignal } from '../process/stop-on-signal';
import { startApi } from './start';
import { documentVaultFrom } from '../integrations/documents/from-config';

const log = createLogger().child({ component: 'api' });

async function main(): Promise<void> {
  const config = loadConfig();
  useLevel(log, config.CSP_LOG_LEVEL);
  const apiConfig = loadApiConfig();
  const keyRing = keyRingFrom(config);
  const client = await connectClient(temporalSettings(config), encryptedDataConverter(keyRing));
  const api = await startApi({
    client,
    taskQueue: config.CSP_TASK_QUEUE,
    config: apiConfig,
    keyRing,
    documents: documentVaultFrom(config, keyRing),
    auditLog: auditLogFrom(config),
    log,
  });
  const callers = api.generatedTokens ? {} : { callers: api.banner };
  log.info({ url: api.url, console: `${api.url}/console`, ...callers }, 'API listening');
  // Tokens never go to the logs: generated development tokens are shown to a person at a terminal.
  if (api.generatedTokens) {
    if (process.stderr.isTTY) process.stderr.write(['', ...api.banner, ''].join('\n') + '\n');
    else log.warn('development tokens were generated and are shown only on a terminal: set CSP_API_TOKENS');
  }
  stopOnSignal(
    'API',
    async () => {
      await api.close();
      await client.connection.close();
    },
    log,
  );
}

main().catch((error: unknown) => {
  log.fatal({ error }, 'API start-up failed');
  process.exit(1);
});
