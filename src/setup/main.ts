/**
 * `npm run temporal-setup`: makes the configured namespace ready for the service on a self-hosted
 * Temporal server (see ./namespace.ts). Reaches Temporal through the same settings as the worker
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*); docker compose runs it once the server
 * is healthy, and it waits for the server while it starts.
 */
import { Connection } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../config';
import { clientConnectionOptions, temporalSettings } from '../config/temporal';
import { setupNamespace } from './namespace';

async function connect(options: Parameters<typeof Connection.connect>[0]): Promise<Connection> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      return await Connection.connect(options);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(1000);
    }
  }
}

async function main(): Promise<void> {
  const { connectionOptions, namespace } = temporalSettings(loadConfig());
  const connection = await connect(clientConnectionOptions(connectionOptions));
  try {
    await setupNamespace(connection, namespace, (line) => console.log(line));
    console.log(`namespace ${namespace} ready on ${connectionOptions.address}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`temporal setup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
