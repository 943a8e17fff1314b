/** `npm run worker`: the enrollment worker on its own, for deployments. */
// First: the modules imported after it are compiled once, then taken from the cache.
import { flushCompileCache } from '../process/compile-cache';
import { loadConfig } from '../config';
import { createLogger, useLevel } from '../process/logger';
import { startWorker } from './run-worker';
import { installRuntime } from './runtime';

const log = createLogger().child({ component: 'worker' });

async function main(): Promise<void> {
  const config = loadConfig();
  installRuntime({
    log: useLevel(log, config.CSP_LOG_LEVEL),
    logLevel: config.CSP_LOG_LEVEL,
    metricsAddress: config.CSP_METRICS_PORT
      ? `${config.CSP_METRICS_HOST}:${config.CSP_METRICS_PORT}`
      : undefined,
  });
  const worker = await startWorker(config);
  flushCompileCache();
  // On SIGINT or SIGTERM the SDK stops polling, lets running tasks finish within the worker's
  // shutdownGraceTime, then worker.done resolves and the process exits.
  await worker.done;
}

main().catch((error: unknown) => {
  log.fatal({ error }, 'worker failed');
  process.exit(1);
});
