/**
 * Child process of the bench: a worker for the baseline workflow, its activities doing nothing.
 * Arguments: task queue, bundle path, payload keys, active key ID. Temporal is reached through
 * the same settings as the enrollment worker (TEMPORAL_ADDRESS, TEMPORAL_TLS_*, …).
 */
// First, as in the service's worker: modules compiled once, then taken from the cache.
import '../../src/process/compile-cache';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';
import { loadConfig } from '../../src/config';
import { connectWorker, temporalSettings } from '../../src/config/temporal';

async function main(): Promise<void> {
  const [taskQueue, bundle, keys, keyId] = process.argv.slice(2);
  // The runtime's default shutdownSignals (SIGTERM among them) stop the worker, as in the service's.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const settings = temporalSettings(loadConfig());
  const connection = await connectWorker(settings);
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue,
    workflowBundle: { codePath: bundle },
    // The same encrypting converter as the enrollment worker: the baseline pays the codec too.
    dataConverter: encryptedDataConverter(parseKeyRing(keys, keyId)),
    activities: { noop: async ({ step }: { step: string }) => step },
  });
  process.stdout.write('{"state":"RUNNING"}\n');
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
