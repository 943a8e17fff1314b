/** `npm run codec-server`: the codec server on its own, for Temporal UI in deployments. */
// First: the modules imported after it are compiled once, then taken from the cache.
import '../process/compile-cache';
import { loadConfig } from '../config';
import { temporalSettings } from '../config/temporal';
import { createLogger, useLevel } from '../process/logger';
import { stopOnSignal } from '../process/stop-on-signal';
import { startCodecServer } from './codec-server';
import { EncryptionCodec } from './encryption-codec';
import { keyRingFrom } from './from-config';
import { codecCorsOrigins, codecOidcFrom } from './server-config';

const log = createLogger().child({ component: 'codec-server' });

async function main(): Promise<void> {
  const config = loadConfig();
  useLevel(log, config.CSP_LOG_LEVEL);
  const oidc = codecOidcFrom(config);
  if (!config.CSP_OPERATOR_TOKEN && !oidc)
    throw new Error('a standalone codec server needs CSP_OPERATOR_TOKEN or CSP_CODEC_OIDC_* settings');
  const server = await startCodecServer({
    codec: new EncryptionCodec(keyRingFrom(config)),
    operatorToken: config.CSP_OPERATOR_TOKEN,
    oidc,
    namespaces: [temporalSettings(config).namespace],
    corsOrigins: codecCorsOrigins(config),
    host: config.CSP_CODEC_HOST,
    port: config.CSP_CODEC_PORT,
    log,
  });
  log.info({ url: `${server.url}/codec` }, 'codec server listening');
  stopOnSignal('codec server', () => server.close(), log);
}

main().catch((error: unknown) => {
  log.fatal({ error }, 'codec server start-up failed');
  process.exit(1);
});
