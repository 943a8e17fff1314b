#!/usr/bin/env node
/** `npm run api`: the HTTP API alone, against the Temporal server and task queue of the configuration. */
import { encryptedDataConverter } from '../codec/data-converter';
import { keyRingFrom } from '../codec/from-config';
import { loadConfig } from '../config';
import { connectClient, temporalSettings } from '../config/temporal';
import { loadApiConfig } from './config';
import { startApi } from './start';

async function main(): Promise<void> {
  const config = loadConfig();
  const apiConfig = loadApiConfig();
  const client = await connectClient(temporalSettings(config), encryptedDataConverter(keyRingFrom(config)));
  const api = await startApi({ client, taskQueue: config.CSP_TASK_QUEUE, config: apiConfig });
  console.log(
    ['', `CSP Enrollment API on ${api.url} (console: ${api.url}/console)`, ...api.banner, ''].join('\n'),
  );
  const stop = async () => {
    await api.close();
    await client.connection.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`api start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
