/**
 * The whole service on the production engine, on this machine: the engine (./production-engine),
 * the simulator and development mailbox standing in for the outside world (in this process), and
 * the service's own programs as separate processes from dist/, as docker compose runs them — two
 * workers, the API and the codec server — each a client of Temporal with its own certificate.
 * Every port is free and on 127.0.0.1. `npm run stack:production` and test/production run this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tokensSpec, type TokenTable } from '../api/tokens';
import type { KeyRing } from '../codec/key-ring';
import { startDevMailbox, type DevMailbox } from '../stand-ins/mailbox/mailbox';
import { startSimulator, type Simulator, type SimulatorOptions } from '../stand-ins/simulator';
import { freePort } from './free-port';
import { repositoryPath } from './repository';
import { startProductionEngine, type ProductionEngine } from './production-engine';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { MAIN_THREAD_HEAP_FLAGS } from '../worker/workflow-heap';
import type { Log } from './tool-cache';

export interface ProductionStackOptions {
  /** Holds the engine's data, the stand-ins' files and every process's log. */
  dir: string;
  taskQueue: string;
  /** Payload keys every process gets (CSP_PAYLOAD_KEYS, CSP_PAYLOAD_KEY_ID). */
  keyRing: KeyRing;
  /** The API process's tokens (CSP_API_TOKENS). */
  apiTokens: TokenTable;
  operatorToken: string;
  workers?: number;
  /** Default: dist/workflow-bundle.js (npm run build). */
  workflowBundle?: string;
  simulator?: SimulatorOptions;
  log?: Log;
  /** A process (service, Temporal server, PostgreSQL) ended on its own: the caller decides what the stack does. */
  onUnexpectedExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface ProductionStack {
  engine: ProductionEngine;
  simulator: Simulator;
  mailbox: DevMailbox;
  /** Worker processes started so far, killed ones included. */
  workers: ServiceProcess[];
  startWorker(): Promise<ServiceProcess>;
  api: ServiceProcess & { url: string };
  codec: ServiceProcess & { url: string };
  /** In order: API, workers (draining while Temporal is up), codec, stand-ins, Temporal, PostgreSQL. */
  stop(): Promise<void>;
}

export async function startProductionStack(options: ProductionStackOptions): Promise<ProductionStack> {
  const log = options.log ?? (() => {});
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    // PostgreSQL's account passes through to the engine's folder (see postgres.ts); nothing is listed.
    fs.mkdirSync(options.dir, { recursive: true });
    fs.chmodSync(options.dir, 0o711);
    const engine = await startProductionEngine(path.join(options.dir, 'engine'), log, {
      onUnexpectedExit: options.onUnexpectedExit,
    });
    stops.push(() => engine.stop());
    const simulator = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      stateFile: path.join(options.dir, 'simulator.jsonl'),
      ...options.simulator,
    });
    stops.push(() => simulator.close());
    const mailbox = await startDevMailbox({
      host: '127.0.0.1',
      port: 0,
      httpPort: 0,
      storeFile: path.join(options.dir, 'mailbox.jsonl'),
    });
    stops.push(() => mailbox.close());
    log(`simulator ${simulator.url}, mailbox ${mailbox.httpUrl} (SMTP 127.0.0.1:${mailbox.smtpPort})`);

    const common = {
      ...process.env,
      CSP_TASK_QUEUE: options.taskQueue,
      CSP_PAYLOAD_KEYS: [...options.keyRing.keys]
        .map(([id, key]) => `${id}=${key.toString('base64')}`)
        .join(','),
      CSP_PAYLOAD_KEY_ID: options.keyRing.currentKeyId,
      // Workers write the audit log, the API reads it: one folder for all of them.
      CSP_AUDIT_DIR: path.join(options.dir, 'audit'),
      // The workers' log of sent emails: one folder for all of them, so none sends an email twice.
      CSP_MAIL_SENT_DIR: path.join(options.dir, 'mail-sent'),
      // Each program's "listening" line (INFO) is what says it started.
      CSP_LOG_LEVEL: 'INFO',
    };
    const program = (
      name: string,
      entry: string,
      env: NodeJS.ProcessEnv,
      ready: RegExp,
      nodeArgs?: readonly string[],
    ) =>
      startServiceProcess({
        name,
        entry: repositoryPath(entry),
        nodeArgs,
        env: { ...common, ...env },
        logFile: path.join(options.dir, `${name}.log`),
        ready,
        onUnexpectedExit: (code, signal) => options.onUnexpectedExit?.(name, code, signal),
      });

    const codecProcess = await program(
      'codec',
      'dist/src/codec/main.js',
      {
        TEMPORAL_NAMESPACE: engine.namespace,
        CSP_CODEC_HOST: '127.0.0.1',
        CSP_CODEC_PORT: String(await freePort()),
        CSP_OPERATOR_TOKEN: options.operatorToken,
      },
      /"url":"([^"]+)".*"message":"codec server listening"/,
    );
    const codec = { ...codecProcess, url: codecProcess.ready[1] };
    stops.push(() => codec.stop());

    const workers: ServiceProcess[] = [];
    const startWorker = async () => {
      const worker = await program(
        `worker-${workers.length + 1}`,
        'dist/src/worker/main.js',
        {
          ...engine.clientEnv('worker'),
          CSP_WORKFLOW_BUNDLE: options.workflowBundle ?? repositoryPath('dist/workflow-bundle.js'),
          CSP_PARTNER_CENTER_URL: simulator.url,
          CSP_CREDIT_BUREAU_URL: simulator.url,
          CSP_SMS_GATEWAY_URL: simulator.url,
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(mailbox.smtpPort),
          CSP_METRICS_PORT: String(await freePort()),
          CSP_LOG_LEVEL: 'INFO',
        },
        // The SDK logs each state change; RUNNING means it polls.
        /"state":"RUNNING"/,
        MAIN_THREAD_HEAP_FLAGS, // as `npm run worker` and the image start it
      );
      workers.push(worker);
      return worker;
    };
    stops.push(() => Promise.all(workers.map((worker) => worker.stop())));
    for (let i = 0; i < (options.workers ?? 2); i++) await startWorker();
    log(`${workers.length} worker processes on task queue ${options.taskQueue}`);

    const apiProcess = await program(
      'api',
      'dist/src/api/main.js',
      {
        ...engine.clientEnv('api'),
        CSP_API_HOST: '127.0.0.1',
        CSP_API_PORT: String(await freePort()),
        CSP_API_TOKENS: tokensSpec(options.apiTokens),
      },
      /"url":"(http:\/\/[^"]+)".*"message":"API listening"/,
    );
    const api = { ...apiProcess, url: apiProcess.ready[1] };
    stops.push(() => api.stop());
    log(`API ${api.url}, codec server ${codec.url}`);

    return { engine, simulator, mailbox, workers, startWorker, api, codec, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
