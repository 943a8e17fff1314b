/**
 * The Temporal dev server (CLI `server start-dev`) as `npm start` runs it: a persistent SQLite
 * file, the Web UI, the project's search attributes. Stopped with SIGTERM so SQLite closes cleanly.
 */
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/definitions';

export interface DevServerOptions {
  cli: string;
  dbFile: string;
  ip: string;
  port: number;
  uiPort: number;
  /** Where Temporal UI sends payloads to be decoded (the codec server), when there is one. */
  uiCodecEndpoint?: string;
  logFile: string;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * Write-ahead log with commits synced at checkpoints, not each one: several times the dev server's
 * throughput on two cores. Safe when a process dies (the fault suite kills it); an OS crash may
 * lose the last moments, an acceptable trade for a development server.
 */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];
export const sqlitePragmaArgs = () => SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]);

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
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
  ];
  const log = fs.openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(options.cli, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `${options.ip}:${options.port}`;

  await waitUntilServing(address, exited, options.logFile);
  return {
    address,
    uiUrl: `http://${options.ip}:${options.uiPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitUntilServing(
  address: string,
  exited: Promise<number | null>,
  logFile: string,
): Promise<void> {
  let failed = false;
  void exited.then(() => (failed = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (failed) throw new Error(`the Temporal dev server exited during start-up; see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch {
      await delay(250);
    }
  }
  throw new Error(`the Temporal dev server did not answer on ${address} within 60 s; see ${logFile}`);
}
