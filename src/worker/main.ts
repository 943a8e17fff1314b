/** `npm run worker`: the enrollment worker on its own, for deployments. */
import { loadConfig } from '../config';
import { startWorker } from './run-worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const worker = await startWorker(config);
  console.log(`worker polling task queue ${config.CSP_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
  // The SDK's worker shuts down on SIGINT and SIGTERM by itself (shutdownSignals); wait for it.
  await worker.done;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
