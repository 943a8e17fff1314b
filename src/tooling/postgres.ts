/**
 * A PostgreSQL server of its own for the production engine on this machine: Debian's binaries,
 * a cluster in a folder of ours, TCP on 127.0.0.1 only, password authentication. The server runs
 * as a child process, so it can be stopped, killed and started again on the same data and port.
 *
 * initdb and postgres refuse to run as root: as root, both run as the `postgres` user (spawn's
 * uid/gid, so no wrapper process stands between us and the server's PID).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findOnPath, isExecutable } from './tool-cache';
import { ownChild } from './child-processes';

export interface PostgresOptions {
  /** Holds the cluster (`pgdata/`) and its log; created if missing, reused if initialized. */
  dir: string;
  port: number;
  user: string;
  password: string;
  /** The server ended without being asked to (stop): the caller decides what follows. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface LocalPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  logFile: string;
  /** The postmaster's PID while it runs (its backends are its children). */
  pid(): number | undefined;
  /** Fast shutdown (SIGINT): open transactions roll back, the cluster is consistent. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Rows of a query, as text, through psql. */
  query(database: string, sql: string): string[][];
}

/** Debian's PostgreSQL 15, or CSP_POSTGRES_BIN_DIR, or whatever `pg_config` names. */
export function postgresBinDir(): string {
  const candidates = [
    process.env.CSP_POSTGRES_BIN_DIR,
    '/usr/lib/postgresql/15/bin',
    findOnPath('pg_config') &&
      execFileSync(findOnPath('pg_config')!, ['--bindir'], { encoding: 'utf8' }).trim(),
  ];
  const found = candidates.find((dir) => dir && isExecutable(path.join(dir, 'postgres')));
  if (!found)
    throw new Error(
      'PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql-15) ' +
        'or set CSP_POSTGRES_BIN_DIR to the folder holding initdb and postgres',
    );
  return found;
}

/** As root: the postgres account's IDs, which initdb and the server run under. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, PostgreSQL needs a `postgres` user to run as (Debian creates one)');
  }
}

/** The server's account must pass through every folder above its data (execute bit, no listing). */
function reachableByOthers(dir: string): void {
  fs.chmodSync(dir, 0o711);
  for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    if ((fs.statSync(parent).mode & 0o001) === 0)
      throw new Error(`PostgreSQL runs as user postgres, which cannot pass through ${parent} (chmod o+x it)`);
  }
}

function initialize(bin: string, dataDir: string, options: PostgresOptions, account = runAs()): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The password goes through a file only the server's account reads, removed right after.
  const passwordFile = path.join(path.dirname(dataDir), '.initdb-password');
  fs.writeFileSync(passwordFile, options.password, { mode: 0o600 });
  if (account) {
    fs.chownSync(dataDir, account.uid, account.gid);
    fs.chownSync(passwordFile, account.uid, account.gid);
  }
  try {
    execFileSync(
      path.join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        options.user,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      { ...account, cwd: path.dirname(dataDir), stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  const dataDir = path.join(options.dir, 'pgdata');
  const logFile = path.join(options.dir, 'postgresql.log');
  fs.mkdirSync(options.dir, { recursive: true });
  const account = runAs();
  if (account) reachableByOthers(options.dir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initialize(bin, dataDir, options, account);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  /** Set while we stop it ourselves: that exit is expected. */
  let asked = false;
  const start = async () => {
    const log = fs.openSync(logFile, 'a');
    child = spawn(
      path.join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        // TCP only: no socket files in shared folders.
        '-c',
        'unix_socket_directories=',
        // Temporal opens a pool per service and store (4 services, 2 stores, up to 20 each).
        '-c',
        'max_connections=200',
      ],
      { ...account, cwd: options.dir, stdio: ['ignore', log, log], detached: true },
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
    await waitUntilReady(running, exited);
  };

  const psql = path.join(bin, 'psql');
  const query = (database: string, sql: string): string[][] => {
    const out = execFileSync(
      psql,
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(options.port),
        '-U',
        options.user,
        '-d',
        database,
        '-AtX',
        '-F',
        '\t',
        '-c',
        sql,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: options.password },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'));
  };

  const waitUntilReady = async (running: ChildProcess, gone: Promise<void>) => {
    let ended = false;
    // Watched, not awaited: the loop below polls the flag (gone never rejects).
    void gone.then(() => (ended = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (ended)
        throw new Error(`PostgreSQL exited during start-up (code ${running.exitCode}); see ${logFile}`);
      try {
        query('postgres', 'select 1');
        return;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`PostgreSQL did not accept connections in 60 s; see ${logFile}`);
        await delay(200);
      }
    }
  };

  await start();
  return {
    host: '127.0.0.1',
    port: options.port,
    user: options.user,
    password: options.password,
    logFile,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    start,
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      asked = true;
      child.kill('SIGINT');
      await exited;
    },
    query,
  };
}
