/**
 * The service's real parts on loopback for integration suites: the shared dev server, the
 * simulator over HTTP, the development mailbox over SMTP, and a worker on its own task queue.
 */
import type { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../../src/activities';
import { ConfigSchema, type Config } from '../../src/config';
import { startDevMailbox, type DevMailbox } from '../../src/stand-ins/mailbox/mailbox';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/stand-ins/simulator';
import { createEnrollmentWorker } from '../../src/worker/create-worker';
import type { KeyRing } from '../../src/codec/key-ring';
import { TEST_KEY_RING } from './keys';
import { createDependencies } from '../../src/worker/dependencies';
import { connectDevServer, uniqueTaskQueue, workflowBundlePath, type DevServer } from './temporal';

/** The service's configuration for a test stack: its own task queue, the simulator, the mailbox. */
export function stackConfig(parts: {
  address: string;
  taskQueue: string;
  simulatorUrl: string;
  smtpPort: number;
  /** The data folder (the audit log's files); a test's own, never the repository's. */
  dataDir: string;
}): Config {
  return ConfigSchema.parse({
    CSP_DATA_DIR: parts.dataDir,
    TEMPORAL_ADDRESS: parts.address,
    CSP_TASK_QUEUE: parts.taskQueue,
    CSP_PARTNER_CENTER_URL: parts.simulatorUrl,
    CSP_CREDIT_BUREAU_URL: parts.simulatorUrl,
    CSP_SMS_GATEWAY_URL: parts.simulatorUrl,
    CSP_HTTP_TIMEOUT_MS: '2000',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(parts.smtpPort),
  });
}

export interface ServiceStack {
  temporal: DevServer;
  simulator: Simulator;
  mailbox: DevMailbox;
  config: Config;
  taskQueue: string;
  /** Stops the worker and starts another one with these payload keys (a key rotation, a deploy). */
  replaceWorker(keyRing: KeyRing): Promise<void>;
  close(): Promise<void>;
}

export async function startServiceStack(
  name: string,
  simulatorOptions: SimulatorOptions = {},
): Promise<ServiceStack> {
  const temporal = await connectDevServer();
  const simulator = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    provisioningMs: 200,
    // Suites about other things than the getting-started tasks find them done at once.
    tasksDoneWhenReady: true,
    ...simulatorOptions,
  });
  const mailbox = await startDevMailbox({ host: '127.0.0.1', port: 0 });
  const taskQueue = uniqueTaskQueue(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `csp-stack-${name}-`));
  const config = stackConfig({
    address: temporal.address,
    taskQueue,
    simulatorUrl: simulator.url,
    smtpPort: mailbox.smtpPort,
    dataDir,
  });
  const dependencies = createDependencies(config);
  const startWorker = async (keyRing: KeyRing) => {
    const worker: Worker = await createEnrollmentWorker({
      connection: temporal.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities(dependencies),
      workflowBundlePath: workflowBundlePath(),
      keyRing,
    });
    return { worker, running: worker.run() };
  };
  let current = await startWorker(TEST_KEY_RING);
  const stopWorker = async () => {
    current.worker.shutdown();
    await current.running;
  };
  return {
    temporal,
    simulator,
    mailbox,
    config,
    taskQueue,
    async replaceWorker(keyRing) {
      await stopWorker();
      current = await startWorker(keyRing);
    },
    async close() {
      await stopWorker();
      dependencies.mail.close();
      await Promise.all([simulator.close(), mailbox.close()]);
      await temporal.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
