/** `npm run codec-server`: the codec server on its own, for Temporal UI in deployments. */
import { loadConfig } from '../config';
import { temporalSettings } from '../config/temporal';
import { startCodecServer } from './codec-server';
import { EncryptionCodec } from './encryption-codec';
import { keyRingFrom } from './from-config';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.CSP_OPERATOR_TOKEN)
    throw new Error('CSP_OPERATOR_TOKEN is required for a standalone codec server');
  const server = await startCodecServer({
    codec: new EncryptionCodec(keyRingFrom(config)),
    operatorToken: config.CSP_OPERATOR_TOKEN,
    namespaces: [temporalSettings(config).namespace],
    corsOrigins: config.CSP_CODEC_CORS_ORIGINS,
    host: config.CSP_CODEC_HOST,
    port: config.CSP_CODEC_PORT,
  });
  console.log(
    JSON.stringify({ level: 'INFO', message: 'codec server listening', url: `${server.url}/codec` }),
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
