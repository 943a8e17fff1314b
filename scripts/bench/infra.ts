/**
 * What every bench run starts and stops: a Temporal server of its own on one of two engines — the
 * CLI's dev server (SQLite in a temp dir) or the production engine (PostgreSQL, mutual TLS; see
 * src/tooling/production-engine.ts) — the simulator without latency, the dev mailbox, an
 * encrypting client, and the environment for the worker child processes.
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';
import { clientConnectionOptions } from '../../src/config/temporal';
import { startDevMailbox } from '../../src/stand-ins/mailbox/mailbox';
import { startSimulator, type Simulator } from '../../src/stand-ins/simulator';
import { startDevServerIn } from '../../src/tooling/dev-server';
import { freePort } from '../../src/tooling/free-port';
import { startProductionEngine, type ProductionEngine } from '../../src/tooling/production-engine';
import { resolveTemporalCli } from '../../src/tooling/temporal-tools';
import { MAIN_THREAD_HEAP_FLAGS } from '../../src/worker/workflow-heap';
import { startChildWorker, workerNode, type ChildWorker } from './processes';

export type EngineName = 'dev' | 'production';

/** A running Temporal server, as the bench needs it whatever the engine. */
interface Engine {
  /** TEMPORAL_ADDRESS and, on the production engine, TEMPORAL_NAMESPACE and TEMPORAL_TLS_*. */
  env: Record<string, string>;
  connection: ConnectionOptions;
  /** The server's process, for its CPU time. */
  serverPid(): number | undefined;
  /** The production engine, for PostgreSQL's statistics and the server's metrics. */
  production?: { engine: ProductionEngine; metricsUrl: string };
  stop(): Promise<void>;
}

async function startEngine(name: EngineName, dir: string, historyShards?: number): Promise<Engine> {
  if (name === 'production') {
    const metricsPort = await freePort();
    const engine = await startProductionEngine(
      path.join(dir, 'engine'),
      (line) => process.stderr.write(`[engine] ${line}\n`),
      { metricsAddress: `127.0.0.1:${metricsPort}`, historyShards },
    );
    return {
      env: engine.clientEnv('worker'),
      connection: engine.connectionOptions('cli'),
      serverPid: () => engine.server.pid(),
      production: { engine, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` },
      stop: () => engine.stop(),
    };
  }
  const server = await startDevServerIn(dir, { cli: await resolveTemporalCli() });
  return {
    env: { TEMPORAL_ADDRESS: server.address },
    connection: { address: server.address },
    serverPid: () => server.pid,
    stop: () => server.stop(),
  };
}

export interface Infra {
  engineName: EngineName;
  dir: string;
  /** How worker child processes reach the server (TEMPORAL_* variables). */
  temporalEnv: Record<string, string>;
  serverPid(): number | undefined;
  production?: Engine['production'];
  simulator: Simulator;
  client: Client;
  /** Payload keys (`bench=<base64>`) and the active key's ID. */
  keys: string;
  /** A short tag for this run, used in workflow IDs and task queues. */
  run: string;
  taskQueue: string;
  /**
   * Starts the enrollment worker (`dist/src/worker/main.js`) as a child process on `taskQueue`;
   * `label` names its files, `profile` is where its CPU profiles go (none: not profiled).
   */
  startEnrollmentWorker(options?: { label?: string; profile?: string }): Promise<ChildWorker>;
}

/** Starts everything, runs `body`, and stops everything (also on failure). */
export async function withInfra<T>(
  engineName: EngineName,
  body: (infra: Infra) => Promise<T>,
  options: { historyShards?: number } = {},
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-bench-'));
  // The production engine's PostgreSQL runs as its own user and passes through (nothing is listed).
  fs.chmodSync(dir, 0o711);
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const engine = await startEngine(engineName, dir, options.historyShards);
    cleanups.push(() => engine.stop());
    const simulator = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      latencyMs: 0,
      provisioningMs: 50,
      tasksDoneWhenReady: true,
    });
    cleanups.push(() => simulator.close());
    const mailbox = await startDevMailbox({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => mailbox.close());

    const keys = `bench=${randomBytes(32).toString('base64')}`;
    const connection = await Connection.connect(clientConnectionOptions(engine.connection));
    cleanups.push(() => connection.close());
    const client = new Client({
      connection,
      dataConverter: encryptedDataConverter(parseKeyRing(keys, 'bench')),
    });
    const run = Date.now().toString(36).toUpperCase().slice(-6);
    const taskQueue = `bench-${run}`;
    let workers = 0;
    const startEnrollmentWorker = (options: { label?: string; profile?: string } = {}) =>
      startChildWorker(
        [path.resolve('dist/src/worker/main.js')],
        {
          ...process.env,
          ...engine.env,
          CSP_TASK_QUEUE: taskQueue,
          CSP_DATA_DIR: path.join(dir, 'data'),
          CSP_WORKFLOW_BUNDLE: path.resolve('dist/workflow-bundle.js'),
          CSP_PAYLOAD_KEYS: keys,
          CSP_PARTNER_CENTER_URL: simulator.url,
          CSP_CREDIT_BUREAU_URL: simulator.url,
          CSP_SMS_GATEWAY_URL: simulator.url,
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(mailbox.smtpPort),
          CSP_METRICS_PORT: '0',
          CSP_LOG_LEVEL: 'INFO',
        },
        {
          dir,
          label: options.label ?? `enrollment-worker-${++workers}`,
          profile: options.profile,
          // As `npm run worker` and the image start it. Not the baseline's: the flag would also be
          // its workflow thread's limit (the enrollment worker sets its own, workflow-heap.ts).
          nodeArgs: MAIN_THREAD_HEAP_FLAGS,
        },
      );
    return await body({
      engineName,
      dir,
      temporalEnv: engine.env,
      serverPid: engine.serverPid,
      production: engine.production,
      simulator,
      client,
      keys,
      run,
      taskQueue,
      startEnrollmentWorker,
    });
  } catch (error) {
    // Told before the clean-up: calls the failure left in flight may fail loudly once it closes.
    process.stderr.write(`\nbench failed: ${inspect(error, { depth: 5 })}\n`);
    throw error;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The version of the node the workers run on: the bench's own unless `--node` names another. */
function workerNodeVersion(): string {
  const node = workerNode();
  return node === process.execPath ? process.version : execFileSync(node, ['--version']).toString().trim();
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    workersNode: workerNodeVersion(),
  };
}
