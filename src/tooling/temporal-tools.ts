/**
 * Finds or builds the two Temporal servers this project runs on, without relying on the SDK's
 * download host (unreachable on machines that only reach package registries).
 *
 * Resolution order, for both: an explicit path from the environment; a binary of the pinned
 * version on PATH; a cache outside the checkout keyed by version; a build from a package
 * registry (Go module proxy for the CLI, Maven Central for the test server); last, the SDK's own
 * download, for machines that reach the internet.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';

/** What `@temporalio/testing` accepts as `server.executable`. */
export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`[tools] ${line}\n`);

export function toolsCacheDir(): string {
  const base =
    process.env.CSP_TOOLS_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'csp-enrollment');
  return path.resolve(base);
}

export function temporalCliCachePath(): string {
  return path.join(toolsCacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export function testServerCacheDir(): string {
  return path.join(toolsCacheDir(), 'temporal-test-server', TEST_SERVER_VERSION);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function cliVersionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return /temporal version (\S+)/.exec(result.stdout ?? '')?.[1];
}

/** Runs a command, passing its output through, and prints a heartbeat so long builds show progress. */
async function runWithProgress(
  label: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string },
  log: Log,
): Promise<void> {
  const started = Date.now();
  log(`${label}: ${command} ${args.join(' ')}`);
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
  const ticker = setInterval(
    () => log(`${label}: still running (${Math.round((Date.now() - started) / 1000)} s)`),
    15_000,
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${label} failed: ${command} exited with ${code}`);
    log(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(ticker);
  }
}

/** Downloads through the SDK by starting and stopping an ephemeral server; returns the cached binary. */
async function sdkDownload(
  kind: 'dev-server' | 'time-skipping',
  downloadDir: string,
  log: Log,
): Promise<string> {
  log(`falling back to the Temporal SDK's own download of the ${kind} into ${downloadDir}`);
  fs.mkdirSync(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const executable = { type: 'cached-download' as const, downloadDir };
  const env =
    kind === 'dev-server'
      ? await TestWorkflowEnvironment.createLocal({ server: { executable } })
      : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  await env.teardown();
  const prefix = kind === 'dev-server' ? 'temporal-cli' : 'temporal-test-server';
  const found = fs
    .readdirSync(downloadDir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => path.join(downloadDir, name))
    .find(isExecutable);
  if (!found) throw new Error(`the SDK download left no ${prefix} binary in ${downloadDir}`);
  return found;
}

/** Path to a Temporal CLI (dev server and Web UI) of the pinned version, building it if needed. */
export async function resolveTemporalCli(log: Log = defaultLog): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const onPath = findOnPath('temporal');
  if (onPath && cliVersionOf(onPath) === TEMPORAL_CLI_VERSION) return onPath;

  const cached = temporalCliCachePath();
  if (isExecutable(cached)) return cached;

  if (findOnPath('go')) {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    await runWithProgress(
      `building Temporal CLI ${TEMPORAL_CLI_VERSION} from the Go module proxy (takes minutes)`,
      'go',
      [
        'install',
        '-ldflags',
        `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
        `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
      ],
      // GOFLAGS=-mod=mod keeps a surrounding go.work or vendor setting from interfering.
      { env: { ...process.env, GOBIN: path.dirname(cached), GOFLAGS: '-mod=mod' }, cwd: os.tmpdir() },
      log,
    );
    if (isExecutable(cached)) return cached;
  } else {
    log('no Go toolchain on PATH; cannot build the Temporal CLI locally');
  }
  return sdkDownload('dev-server', path.join(toolsCacheDir(), 'sdk-download'), log);
}

const TEST_SERVER_POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.csp-enrollment</groupId>
  <artifactId>temporal-test-server-launcher</artifactId>
  <version>${TEST_SERVER_VERSION}</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;

/** JVM flags tuned for start-up: the SDK gives the server 5 seconds to accept connections. */
function jvmFlags(dir: string, archive: 'use' | 'create'): string[] {
  const jsa = path.join(dir, 'test-server.jsa');
  return [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xss512k',
    '-Xlog:cds=off',
    '-Xlog:cds+dynamic=off',
    archive === 'create' ? `-XX:ArchiveClassesAtExit=${jsa}` : `-XX:SharedArchiveFile=${jsa}`,
  ];
}

function launcherScript(java: string, dir: string): string {
  return `#!/bin/sh
# temporal-test-server-${TEST_SERVER_VERSION}: launches the Java time-skipping test server.
# Arguments: <port> [--enable-time-skipping]. exec keeps the PID, so the SDK's kill stops the JVM.
exec "${java}" ${jvmFlags(dir, 'use').join(' ')} -cp "${dir}/lib/*" io.temporal.testserver.TestServer "$@"
`;
}

function javaBinary(): string | undefined {
  const home = process.env.JAVA_HOME;
  if (home && isExecutable(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return findOnPath('java');
}

function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server once with -XX:ArchiveClassesAtExit so later starts load classes from a CDS archive. */
async function createClassDataArchive(java: string, dir: string, log: Log): Promise<void> {
  log('recording a class-data sharing archive for fast test-server start-up');
  const port = await freePort();
  const child = spawn(
    java,
    [...jvmFlags(dir, 'create'), '-cp', `${dir}/lib/*`, 'io.temporal.testserver.TestServer', String(port)],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const up = await waitForPort(port, 60_000);
  child.kill('SIGTERM'); // the archive is written as the JVM exits normally
  await exited;
  if (!up) throw new Error('the test server did not start while recording its class-data archive');
}

async function buildTestServer(dir: string, java: string, log: Log): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), TEST_SERVER_POM);
  await runWithProgress(
    `fetching temporal-test-server ${TEST_SERVER_VERSION} and its dependencies from Maven Central`,
    'mvn',
    [
      '-B',
      '-q',
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${path.join(dir, 'lib')}`,
    ],
    { cwd: dir },
    log,
  );
  await createClassDataArchive(java, dir, log);
  const launcher = path.join(dir, 'temporal-test-server');
  fs.writeFileSync(launcher, launcherScript(java, dir), { mode: 0o755 });
  return launcher;
}

/** The time-skipping test server, as `createTimeSkipping({ server: { executable } })` takes it. */
export async function resolveTestServer(log: Log = defaultLog): Promise<ServerExecutable> {
  const explicit = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    if (!isExecutable(explicit))
      throw new Error(`TEMPORAL_TEST_SERVER_PATH=${explicit} is not an executable file`);
    return { type: 'existing-path', path: explicit };
  }
  // A launcher on PATH counts only if it says it is the pinned version (the server has no --version).
  const onPath = findOnPath('temporal-test-server');
  if (onPath && fs.readFileSync(onPath).includes(`temporal-test-server-${TEST_SERVER_VERSION}`)) {
    return { type: 'existing-path', path: onPath };
  }
  const dir = testServerCacheDir();
  const launcher = path.join(dir, 'temporal-test-server');
  if (isExecutable(launcher)) return { type: 'existing-path', path: launcher };

  const java = javaBinary();
  if (java && findOnPath('mvn'))
    return { type: 'existing-path', path: await buildTestServer(dir, java, log) };
  log('no Java and Maven on PATH; using the SDK download of the test server');
  return { type: 'cached-download' };
}

/** Installs both servers (what `.ci/run` and `npm run tools` call). */
export async function installTools(
  log: Log = defaultLog,
): Promise<{ cli: string; testServer: ServerExecutable }> {
  const cli = await resolveTemporalCli(log);
  log(`Temporal CLI: ${cli}`);
  const testServer = await resolveTestServer(log);
  log(`time-skipping test server: ${testServer.type === 'existing-path' ? testServer.path : 'SDK download'}`);
  return { cli, testServer };
}
