/**
 * What every bench run starts and stops: a Temporal dev server of its own (SQLite in a temp dir),
 * the simulator without latency, the dev mailbox, an encrypting client, and the environment for
 * the enrollment worker child process.
 */
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';
import { startDevMailbox } from '../../src/integrations/mail/dev-mailbox';
import { startSimulator, type Simulator } from '../../src/integrations/simulator';
import { startDevServer } from '../../src/tooling/dev-server';
import { resolveTemporalCli } from '../../src/tooling/temporal-tools';
import { startChildWorker, type ChildWorker } from './processes';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface Infra {
  dir: string;
  address: string;
  simulator: Simulator;
  client: Client;
  /** Payload keys (`bench=<base64>`) and the active key's ID. */
  keys: string;
  /** A short tag for this run, used in workflow IDs and task queues. */
  run: string;
  taskQueue: string;
  /** Starts the enrollment worker (`dist/src/worker/main.js`) as a child process on `taskQueue`. */
  startEnrollmentWorker(): Promise<ChildWorker>;
}

/** Starts everything, runs `body`, and stops everything (also on failure). */
export async function withInfra<T>(body: (infra: Infra) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-bench-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const cli = await resolveTemporalCli();
    const server = await startDevServer({
      cli,
      dbFile: path.join(dir, 'temporal.sqlite'),
      ip: '127.0.0.1',
      port: await freePort(),
      uiPort: await freePort(),
      logFile: path.join(dir, 'temporal.log'),
    });
    cleanups.push(() => server.stop());
    const simulator = await startSimulator({ host: '127.0.0.1', port: 0, latencyMs: 0, provisioningMs: 50 });
    cleanups.push(() => simulator.close());
    const mailbox = await startDevMailbox({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => mailbox.close());

    const keys = `bench=${randomBytes(32).toString('base64')}`;
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const client = new Client({
      connection,
      dataConverter: encryptedDataConverter(parseKeyRing(keys, 'bench')),
    });
    const run = Date.now().toString(36).toUpperCase().slice(-6);
    const taskQueue = `bench-${run}`;
    const startEnrollmentWorker = () =>
      startChildWorker([path.resolve('dist/src/worker/main.js')], {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        CSP_TASK_QUEUE: taskQueue,
        CSP_WORKFLOW_BUNDLE: path.resolve('dist/workflow-bundle.js'),
        CSP_PAYLOAD_KEYS: keys,
        CSP_PARTNER_CENTER_URL: simulator.url,
        CSP_CREDIT_BUREAU_URL: simulator.url,
        CSP_SMS_GATEWAY_URL: simulator.url,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(mailbox.smtpPort),
        CSP_METRICS_PORT: '0',
        CSP_LOG_LEVEL: 'INFO',
      });
    return await body({
      dir,
      address: server.address,
      simulator,
      client,
      keys,
      run,
      taskQueue,
      startEnrollmentWorker,
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}
