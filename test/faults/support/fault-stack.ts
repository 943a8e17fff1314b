/**
 * The service's parts for a fault run: simulator, a development mailbox that can be stopped and
 * started again on the same port (its store file keeps earlier mail, so re-sent messages are
 * still flagged as duplicates), Temporal connections to any dev server, and workers either in
 * this process or as real worker processes (see worker-process.ts).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../../../src/activities';
import { encryptedDataConverter } from '../../../src/codec/data-converter';
import type { Config } from '../../../src/config';
import { startDevMailbox, type DevMailbox } from '../../../src/stand-ins/mailbox/mailbox';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/stand-ins/simulator';
import { createEnrollmentWorker } from '../../../src/worker/create-worker';
import { createDependencies } from '../../../src/worker/dependencies';
import { TEST_KEY_RING } from '../../harness/keys';
import { stackConfig } from '../../harness/stack';
import { uniqueTaskQueue, workflowBundlePath } from '../../harness/temporal';

export interface FaultStackOptions {
  name: string;
  /** Defaults to the dev server shared by the test run. */
  temporalAddress?: string;
  simulator?: SimulatorOptions;
  /** Start a worker in this process (false when the test runs worker processes). */
  inProcessWorker?: boolean;
}

export interface FaultStack {
  client: Client;
  simulator: Simulator;
  /** The current mailbox; replaced by startMailbox(). */
  mailbox: DevMailbox;
  config: Config;
  taskQueue: string;
  stopMailbox(): Promise<void>;
  /**
   * Stops the mailbox and takes its SMTP connections in silence (no greeting, no answer), as a
   * mail server behind a dropping firewall, or hung, would; `connections()` counts those taken.
   */
  silenceMailbox(): Promise<{ connections(): number }>;
  /** Starts the mailbox again on the same SMTP port, with the mail kept so far. */
  startMailbox(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  const address = options.temporalAddress ?? requiredEnv('CSP_TEST_TEMPORAL_ADDRESS');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `csp-fault-${options.name}-`));
  const storeFile = path.join(dir, 'mailbox.jsonl');
  const simulator = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    provisioningMs: 200,
    // Suites about other things than the getting-started tasks find them done at once.
    tasksDoneWhenReady: true,
    ...options.simulator,
  });
  let mailbox = await startDevMailbox({ host: '127.0.0.1', port: 0, storeFile });
  const smtpPort = mailbox.smtpPort;
  let mailboxUp = true;
  let silent: { server: net.Server; sockets: Set<net.Socket> } | undefined;
  const taskQueue = uniqueTaskQueue(options.name);
  const config = stackConfig({ address, taskQueue, simulatorUrl: simulator.url, smtpPort, dataDir: dir });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter: encryptedDataConverter(TEST_KEY_RING) });

  let worker: { worker: Worker; running: Promise<void>; close(): Promise<void> } | undefined;
  if (options.inProcessWorker) {
    const nativeConnection = await NativeConnection.connect({ address });
    const dependencies = createDependencies(config);
    const w = await createEnrollmentWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities(dependencies),
      workflowBundlePath: workflowBundlePath(),
      keyRing: TEST_KEY_RING,
    });
    const running = w.run();
    worker = {
      worker: w,
      running,
      async close() {
        if (w.getState() === 'RUNNING') w.shutdown();
        await running;
        dependencies.mail.close();
        await nativeConnection.close();
      },
    };
  }

  async function stopMailbox() {
    if (!mailboxUp) return;
    mailboxUp = false;
    await mailbox.close();
  }
  async function silenceMailbox() {
    await stopMailbox();
    let taken = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      taken += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(smtpPort, '127.0.0.1', resolve));
    silent = { server, sockets };
    return { connections: () => taken };
  }
  async function endSilence() {
    if (!silent) return;
    const { server, sockets } = silent;
    silent = undefined;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  async function startMailbox() {
    if (mailboxUp) return;
    await endSilence();
    mailbox = await startDevMailbox({ host: '127.0.0.1', port: smtpPort, storeFile });
    mailboxUp = true;
  }

  return {
    client,
    simulator,
    get mailbox() {
      return mailbox;
    },
    config,
    taskQueue,
    stopMailbox,
    silenceMailbox,
    startMailbox,
    async close() {
      await worker?.close();
      await connection.close();
      await endSilence();
      await Promise.all([simulator.close(), mailboxUp ? mailbox.close() : undefined]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's global setup (npm test)`);
  return value;
}
