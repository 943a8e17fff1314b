/**
 * Child process of the bench: a worker for the baseline workflow, its activities doing nothing.
 * Arguments: address, task queue, bundle path, payload keys, active key ID.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';

async function main(): Promise<void> {
  const [address, taskQueue, bundle, keys, keyId] = process.argv.slice(2);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: bundle },
    // The same encrypting converter as the enrollment worker: the baseline pays the codec too.
    dataConverter: encryptedDataConverter(parseKeyRing(keys, keyId)),
    activities: { noop: async ({ step }: { step: string }) => step },
  });
  process.on('SIGTERM', () => worker.shutdown());
  process.stdout.write('{"state":"RUNNING"}\n');
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
