/**
 * The production Temporal server (`temporal-server`), its schema tool (`temporal-sql-tool`) and
 * the PostgreSQL schemas they set up, pinned to the version docker-compose.yml runs.
 *
 * Resolution, as for the CLI: TEMPORAL_SERVER_PATH / TEMPORAL_SQL_TOOL_PATH /
 * TEMPORAL_SQL_SCHEMA_DIR; binaries of the pinned version on PATH; the tools cache; a build with
 * `go install` from the Go module proxy into the cache (minutes), the schemas copied from the
 * module's source. There is no download to fall back on: without Go this fails, and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultLog, findOnPath, isExecutable, runWithProgress, toolsCacheDir, type Log } from './tool-cache';

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** The server's `schema/postgresql/v12` (temporal/ and visibility/ with their versioned scripts). */
  schemaDir: string;
}

export function temporalServerCacheDir(): string {
  return path.join(toolsCacheDir(), 'temporal-server', TEMPORAL_SERVER_VERSION);
}

/** Both binaries answer `--version` with "<name> version 1.29.1". */
function versionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return /version (\S+)/.exec(result.stdout ?? '')?.[1];
}

function explicitOrOnPath(variable: string, name: string): string | undefined {
  const explicit = process.env[variable];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${variable}=${explicit} is not an executable file`);
    return explicit;
  }
  const onPath = findOnPath(name);
  return onPath && versionOf(onPath) === TEMPORAL_SERVER_VERSION ? onPath : undefined;
}

const hasSchemas = (dir: string) =>
  fs.existsSync(path.join(dir, 'temporal', 'versioned')) &&
  fs.existsSync(path.join(dir, 'visibility', 'versioned'));

/** Where the Go toolchain keeps the module's source (downloaded from the proxy if not yet there). */
function moduleSourceDir(): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@v${TEMPORAL_SERVER_VERSION}`], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

/** The module cache is read-only; a copy kept so would resist deleting the cache. */
function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else fs.chmodSync(full, 0o644);
  }
}

async function build(dir: string, log: Log): Promise<void> {
  // Built into a staging folder and renamed, so an interrupted build never looks installed.
  const staging = fs.mkdtempSync(path.join(path.dirname(dir), `.build-${TEMPORAL_SERVER_VERSION}-`));
  try {
    await runWithProgress(
      `building Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool from the Go module proxy (takes minutes)`,
      'go',
      [
        'install',
        `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
        `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
      ],
      // GOFLAGS=-mod=mod keeps a surrounding go.work or vendor setting from interfering.
      { env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' }, cwd: os.tmpdir() },
      log,
    );
    const source = path.join(moduleSourceDir(), 'schema', 'postgresql', 'v12');
    log(`copying the PostgreSQL schemas from ${source}`);
    const schemas = path.join(staging, 'schema', 'postgresql', 'v12');
    fs.cpSync(source, schemas, { recursive: true });
    makeWritable(schemas);
    fs.renameSync(path.join(staging, 'server'), path.join(staging, 'temporal-server'));
    fs.renameSync(path.join(staging, 'sql'), path.join(staging, 'temporal-sql-tool'));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The production server's tools, building them into the cache if nothing else provides them. */
export async function resolveTemporalServer(log: Log = defaultLog): Promise<TemporalServerTools> {
  const dir = temporalServerCacheDir();
  const cached = {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    schemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
  };
  let server = explicitOrOnPath('TEMPORAL_SERVER_PATH', 'temporal-server');
  let sqlTool = explicitOrOnPath('TEMPORAL_SQL_TOOL_PATH', 'temporal-sql-tool');
  let schemaDir = process.env.TEMPORAL_SQL_SCHEMA_DIR;
  if (schemaDir && !hasSchemas(schemaDir))
    throw new Error(`TEMPORAL_SQL_SCHEMA_DIR=${schemaDir} holds no temporal/ and visibility/ schemas`);

  const complete =
    isExecutable(cached.server) && isExecutable(cached.sqlTool) && hasSchemas(cached.schemaDir);
  if ((!server || !sqlTool || !schemaDir) && !complete) {
    if (!findOnPath('go'))
      throw new Error(
        `Temporal server ${TEMPORAL_SERVER_VERSION} is not installed and there is no Go toolchain to build it: ` +
          'install Go (https://go.dev/dl), or set TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SQL_SCHEMA_DIR',
      );
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await build(dir, log);
  }
  server ??= cached.server;
  sqlTool ??= cached.sqlTool;
  schemaDir ??= cached.schemaDir;
  return { server, sqlTool, schemaDir };
}

/** For `npm run tools` and the test run: the tools, or why they could not be had. */
export async function installTemporalServer(
  log: Log = defaultLog,
): Promise<TemporalServerTools | { error: string }> {
  try {
    return await resolveTemporalServer(log);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
