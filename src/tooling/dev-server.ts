/**
 * The Temporal dev server (CLI `server start-dev`) as `npm start`, `npm run dev` and the tests run
 * it: a persistent SQLite file, the Web UI, the project's search attributes. It runs under a
 * watchdog (src/process/watchdog.ts) in a process group of its own: the terminal's Ctrl-C does not
 * reach it (npm start stops it last, after the worker drained), and it goes when its starter goes,
 * even by SIGKILL. Stopped with SIGTERM so SQLite closes cleanly.
 *
 * As in Temporal's samples, a server that already answers (`temporal server start-dev` in another
 * terminal) is used rather than clashing with it: see useOrStartDevServer.
 */
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { privateFile } from '../process/private-files';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/definitions';
import { freePort } from './free-port';
import { resolveTemporalCli } from './temporal-tools';

export interface DevServerOptions {
  cli: string;
  dbFile: string;
  ip: string;
  port: number;
  uiPort: number;
  logFile: string;
  /** More `start-dev` flags (the tests' `--metrics-port`). */
  extraArgs?: string[];
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  /** The dev server's process ID (its watchdog is its parent). */
  pid: number;
  /** Settles when the dev server has exited, with its exit code: expected after stop(), else a death. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** The watchdog as Node runs it: compiled; tests run this file from source, beside dist/. */
function watchdogScript(): string {
  const resolved = require.resolve('../process/watchdog');
  if (!resolved.endsWith('.ts')) return resolved;
  const root = path.resolve(__dirname, '..', '..');
  return path.join(root, 'dist', path.relative(root, resolved)).replace(/\.ts$/, '.js');
}

/**
 * Write-ahead log with commits synced at checkpoints, not each one: several times the dev server's
 * throughput on two cores. Safe when a process dies (the fault suite kills it); an OS crash may
 * lose the last moments, an acceptable trade for a development server.
 */
const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];
const sqlitePragmaArgs = () => SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]);

const CLI_TYPES: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  DATETIME: 'Datetime',
  INT: 'Int',
  BOOL: 'Bool',
};

export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    ...sqlitePragmaArgs(),
    '--log-level',
    'warn',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPES[key.type]}`]),
    ...(options.extraArgs ?? []),
  ];
  const log = fs.openSync(privateFile(options.logFile), 'a');
  // Where this run's lines begin: an earlier run's error is not this one's.
  const logStart = fs.fstatSync(log).size;
  // stdin: the watchdog's lifeline; fd 3: it reports the dev server's PID.
  const watchdog: ChildProcess = spawn(process.execPath, [watchdogScript(), options.cli, ...args], {
    stdio: ['pipe', log, log, 'pipe'],
    detached: true,
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => watchdog.once('exit', (code) => resolve(code)));
  const pid = await new Promise<number>((resolve, reject) => {
    let text = '';
    const report = watchdog.stdio[3] as NodeJS.ReadableStream;
    report.on('data', (chunk) => (text += String(chunk)));
    report.on('end', () =>
      /^\d+\n/.test(text)
        ? resolve(Number.parseInt(text, 10))
        : reject(new Error(`the Temporal dev server did not start; see ${options.logFile}`)),
    );
  });
  const address = `${options.ip}:${options.port}`;
  const stop = async () => {
    if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
    watchdog.kill('SIGTERM');
    // An unreferenced timer: once the server has ended, nothing is left waiting on it.
    const stopped = await Promise.race([exited.then(() => true), delay(20_000, false, { ref: false })]);
    // The whole group: the watchdog and the dev server.
    if (!stopped) process.kill(-watchdog.pid!, 'SIGKILL');
    await exited;
  };

  try {
    await waitUntilServing(address, exited, options.logFile, logStart);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl: `http://${options.ip}:${options.uiPort}`, pid, exited, stop };
}

/** A dev server of its own on free loopback ports, its files in `dir`: for tests and benchmarks. */
export async function startDevServerIn(
  dir: string,
  options: Pick<DevServerOptions, 'cli' | 'extraArgs'>,
): Promise<RunningDevServer> {
  return startDevServer({
    ...options,
    dbFile: path.join(dir, 'temporal.sqlite'),
    ip: '127.0.0.1',
    port: await freePort(),
    uiPort: await freePort(),
    logFile: path.join(dir, 'temporal.log'),
  });
}

/** What reaches a Temporal frontend: its address and, for a secured one, TLS or an API key. */
export type TemporalEndpoint = Pick<ConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'> & {
  address: string;
};

/** True when a Temporal frontend answers there within a couple of seconds. */
export async function temporalAnswers(endpoint: TemporalEndpoint, timeoutMs = 2_000): Promise<boolean> {
  // Lazy, so a failed attempt still has a connection to close (no channel left retrying).
  const connection = Connection.lazy({ ...endpoint, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;

export interface DevTemporal {
  address: string;
  /** The dev server this process started (and stops); undefined when one already answered. */
  started?: RunningDevServer;
}

/**
 * The Temporal server for development: the one that answers at `endpoint` if any (left running
 * whatever happens here), else a dev server started on that loopback address. A secured or remote
 * endpoint that does not answer is an error: a plain local server would not stand in for it.
 */
export async function useOrStartDevServer(
  endpoint: TemporalEndpoint,
  devServer: Pick<DevServerOptions, 'dbFile' | 'uiPort' | 'logFile'>,
): Promise<DevTemporal> {
  if (await temporalAnswers(endpoint)) return { address: endpoint.address };
  const at = endpoint.address.lastIndexOf(':');
  const host = endpoint.address.slice(0, at);
  const port = Number(endpoint.address.slice(at + 1));
  if (at <= 0 || !LOOPBACK.test(host) || !Number.isInteger(port) || endpoint.tls || endpoint.apiKey)
    throw new Error(
      `Temporal does not answer at ${endpoint.address}, and a dev server is started only in its place on this ` +
        'machine (a loopback address, no TLS or API key): start that server, or unset TEMPORAL_ADDRESS',
    );
  const started = await startDevServer({
    ...devServer,
    cli: await resolveTemporalCli(),
    ip: host.replace(/^\[|\]$/g, ''),
    port,
  });
  return { address: started.address, started };
}

/** The last error the dev server logged since `from` (`level=ERROR msg="…"`): why it exited. */
function lastError(logFile: string, from: number): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(logFile).subarray(from).toString('utf8');
  } catch {
    return undefined;
  }
  const errors = [...text.matchAll(/level=ERROR msg="((?:[^"\\]|\\.)*)"/g)];
  return errors.at(-1)?.[1];
}

async function waitUntilServing(
  address: string,
  exited: Promise<number | null>,
  logFile: string,
  logStart: number,
): Promise<void> {
  let failed = false;
  // Watched, not awaited: the loop below polls the flag (exited never rejects).
  void exited.then(() => (failed = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (failed) {
      const why = lastError(logFile, logStart);
      throw new Error(
        `the Temporal dev server exited during start-up${why ? `: ${why}` : ''}; see ${logFile}`,
      );
    }
    if (await temporalAnswers({ address }, 1_000)) return;
    await delay(250);
  }
  throw new Error(`the Temporal dev server did not answer on ${address} within 60 s; see ${logFile}`);
}
