/** `npm run worker`: the enrollment worker on its own, for deployments. */
import { loadConfig } from '../config';
import { startWorker } from './run-worker';
import { installRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  installRuntime({
    logLevel: config.CSP_LOG_LEVEL,
    format: 'json',
    metricsAddress: config.CSP_METRICS_PORT
      ? `${config.CSP_METRICS_HOST}:${config.CSP_METRICS_PORT}`
      : undefined,
  });
  const worker = await startWorker(config);
  // On SIGINT or SIGTERM the SDK stops polling, lets running tasks finish within the worker's
  // shutdownGraceTime, then worker.done resolves and the process exits.
  await worker.done;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
