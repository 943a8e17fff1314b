/**
 * The production Temporal server as a child process: `temporal-server start` with the repository's
 * configuration (deploy/temporal), rendered from environment variables for this machine — its
 * database, its certificates and ports of its own. It can be stopped (SIGTERM), killed (SIGKILL)
 * and started again on the same ports.
 */
import { Connection, type TLSConfig } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { deployPath } from './repository';
import { freePort } from './free-port';
import { ownChild } from './child-processes';

export interface TemporalServerPorts {
  frontend: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export interface TemporalServerOptions {
  binary: string;
  tlsDir: string;
  db: { host: string; port: number; user: string; password: string };
  ports: TemporalServerPorts;
  logFile: string;
  /** How the readiness check connects (a client certificate: the server requires one). */
  clientTls: TLSConfig;
  /** host:port for Prometheus metrics; none when unset. */
  metricsAddress?: string;
  /** History shards; the configuration's default when unset. Fixed when the database is first used. */
  historyShards?: number;
  /** The server ended without being asked to (stop or kill): the caller decides what follows. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface RunningTemporalServer {
  address: string;
  pid(): number | undefined;
  /** SIGTERM: the server leaves the membership ring and closes its shards. */
  stop(): Promise<void>;
  /** SIGKILL: nothing closed, as a crash. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

/** Eight free ports (distinct: see free-port.ts, which also keeps them within smallint). */
export async function allocateServerPorts(): Promise<TemporalServerPorts> {
  return {
    frontend: await freePort(),
    frontendMembership: await freePort(),
    history: await freePort(),
    historyMembership: await freePort(),
    matching: await freePort(),
    matchingMembership: await freePort(),
    worker: await freePort(),
    workerMembership: await freePort(),
  };
}

/** What deploy/temporal/config/production.yaml reads (see its header). */
export function serverEnvironment(options: Omit<TemporalServerOptions, 'binary' | 'logFile' | 'clientTls'>) {
  const { db, ports } = options;
  return {
    ...(options.metricsAddress ? { TEMPORAL_SERVER_METRICS_ADDRESS: options.metricsAddress } : {}),
    ...(options.historyShards ? { TEMPORAL_SERVER_HISTORY_SHARDS: String(options.historyShards) } : {}),
    TEMPORAL_SERVER_DB_HOST: db.host,
    TEMPORAL_SERVER_DB_PORT: String(db.port),
    TEMPORAL_SERVER_DB_USER: db.user,
    TEMPORAL_SERVER_DB_PASSWORD: db.password,
    TEMPORAL_SERVER_TLS_DIR: options.tlsDir,
    TEMPORAL_SERVER_DYNAMIC_CONFIG: deployPath('temporal', 'dynamicconfig', 'production.yaml'),
    TEMPORAL_SERVER_BIND_IP: '127.0.0.1',
    TEMPORAL_SERVER_BROADCAST_ADDRESS: '127.0.0.1',
    TEMPORAL_SERVER_LOG_LEVEL: 'warn',
    TEMPORAL_SERVER_FRONTEND_PORT: String(ports.frontend),
    TEMPORAL_SERVER_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    TEMPORAL_SERVER_HISTORY_PORT: String(ports.history),
    TEMPORAL_SERVER_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    TEMPORAL_SERVER_MATCHING_PORT: String(ports.matching),
    TEMPORAL_SERVER_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    TEMPORAL_SERVER_WORKER_PORT: String(ports.worker),
    TEMPORAL_SERVER_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
  };
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<RunningTemporalServer> {
  const address = `127.0.0.1:${options.ports.frontend}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  /** Set while we stop or kill it ourselves: that exit is expected. */
  let asked = false;
  const alive = () => !!child && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    if (alive()) return;
    const log = fs.openSync(options.logFile, 'a');
    child = spawn(
      options.binary,
      // Identity is the client certificate: every holder of one is an operator, no authorizer.
      [
        '--root',
        '/',
        '--config',
        deployPath('temporal', 'config'),
        '--env',
        'production',
        '--allow-no-auth',
        'start',
      ],
      {
        // Only what the configuration reads: no stray TEMPORAL_* of the caller's.
        env: { PATH: process.env.PATH ?? '', ...serverEnvironment(options) },
        stdio: ['ignore', log, log],
        detached: true,
      },
    );
    ownChild(child);
    fs.closeSync(log);
    const running = child;
    asked = false;
    exited = new Promise((resolve) =>
      running.once('exit', (code, signal) => {
        if (!asked) options.onUnexpectedExit?.(code, signal);
        resolve();
      }),
    );
    await waitUntilServing(address, options.clientTls, exited, options.logFile);
  };
  const end = async (signal: NodeJS.Signals) => {
    if (!alive()) return;
    asked = true;
    child!.kill(signal);
    // An unreferenced timer: once the server has ended, nothing is left waiting on it.
    const stopped = await Promise.race([exited.then(() => true), delay(30_000, false, { ref: false })]);
    if (!stopped) child!.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    address,
    pid: () => (alive() ? child!.pid : undefined),
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    start,
  };
}

/** Serving means the frontend answers its health check over mutual TLS. */
async function waitUntilServing(
  address: string,
  tls: TLSConfig,
  exited: Promise<void>,
  logFile: string,
): Promise<void> {
  let failed = false;
  // Watched, not awaited: the loop below polls the flag (exited never rejects).
  void exited.then(() => (failed = true));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (failed) throw new Error(`the Temporal server exited during start-up; see ${logFile}`);
    // Lazy, so a failed attempt still has a connection to close (no channel left retrying).
    const connection = Connection.lazy({ address, tls, connectTimeout: 1000 });
    try {
      await connection.ensureConnected();
      const deadline = Date.now() + 2_000;
      const { status } = await connection.withDeadline(deadline, () => connection.healthService.check({}));
      if (status === 1) return; // SERVING
    } catch {
      // not yet
    } finally {
      await connection.close();
    }
    await delay(250);
  }
  throw new Error(`the Temporal server did not serve on ${address} within 120 s; see ${logFile}`);
}
