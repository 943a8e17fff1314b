/**
 * Finds or builds the two Temporal servers the development tools run on. The SDK's download host
 * is unreachable on machines that only reach package registries, so each has a build from a
 * registry to fall back on.
 *
 * The CLI (dev server): TEMPORAL_CLI_PATH; a `temporal` on PATH of the pinned version or newer;
 * the cache (an earlier build or download); the SDK's own download, when its host answers within
 * seconds; a build from the Go module proxy (minutes), the offline fallback.
 *
 * The time-skipping test server: TEMPORAL_TEST_SERVER_PATH; a launcher of the pinned version on
 * PATH; the cache; a build from Maven Central; last, the SDK's own download.
 */
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { installTemporalServer, type TemporalServerTools } from './temporal-server-tools';
import { defaultLog, findOnPath, isExecutable, runWithProgress, toolsCacheDir, type Log } from './tool-cache';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';

/** What `@temporalio/testing` accepts as `server.executable`. */
export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export { toolsCacheDir };

export function temporalCliCachePath(): string {
  return path.join(toolsCacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export function testServerCacheDir(): string {
  return path.join(toolsCacheDir(), 'temporal-test-server', TEST_SERVER_VERSION);
}

function cliVersionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return /temporal version (\S+)/.exec(result.stdout ?? '')?.[1];
}

/** `1.5.1` or newer by its numeric parts; a pre-release counts as its release. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
  const [have, want] = [parts(version), parts(minimum)];
  if (have.length !== 3) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

const acceptableCli = (binary: string) => {
  const version = cliVersionOf(binary);
  return version !== undefined && versionAtLeast(version, TEMPORAL_CLI_VERSION);
};

/** Where the SDK keeps what it downloaded, inside the tools cache. */
const sdkDownloadDir = () => path.join(toolsCacheDir(), 'sdk-download');

/**
 * The name the SDK gives its download of the CLI (core's ephemeral_server), keyed by SDK version;
 * undefined without @temporalio/testing (a development dependency: no download then).
 */
function sdkDownloadedCli(): string | undefined {
  let manifest: string;
  try {
    manifest = require.resolve('@temporalio/testing/package.json');
  } catch {
    return undefined;
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return path.join(sdkDownloadDir(), `temporal-sdk-typescript-${version}`);
}

/** How long the SDK's download host gets to answer before the Go build is tried instead. */
const DOWNLOAD_PROBE_MS = 5_000;
/** A download that started but stalls is given up after this, for the same fallback. */
const DOWNLOAD_LIMIT_MS = 5 * 60_000;

/**
 * Asks the SDK's download host whether it answers at all. The SDK's own client has no time-out,
 * so on a machine without internet access (a dropped connection, not a refused one) it would hang.
 */
async function downloadHostAnswers(log: Log): Promise<boolean> {
  try {
    await fetch('https://temporal.download/cli/default', {
      method: 'HEAD',
      signal: AbortSignal.timeout(DOWNLOAD_PROBE_MS),
    });
    return true;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    log(`the SDK's download host temporal.download does not answer (${cause}); skipping its download`);
    return false;
  }
}

/**
 * The CLI as TestWorkflowEnvironment.createLocal downloads it: the SDK downloads only on the way
 * to starting a server, so one is started and stopped. Returns the cached binary.
 */
async function sdkDownload(log: Log): Promise<string> {
  const downloadDir = sdkDownloadDir();
  log(`downloading the Temporal CLI through the Temporal SDK into ${downloadDir}`);
  fs.mkdirSync(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const download = async () => {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'cached-download', downloadDir } },
    });
    await env.teardown();
  };
  const done = await Promise.race([
    download().then(() => true),
    delay(DOWNLOAD_LIMIT_MS, false, { ref: false }),
  ]);
  if (!done)
    throw new Error(`the SDK's download did not finish within ${DOWNLOAD_LIMIT_MS / 60_000} minutes`);
  const found = sdkDownloadedCli();
  if (!found || !isExecutable(found)) throw new Error(`the SDK download left no ${found}`);
  return found;
}

/** Path to a Temporal CLI (dev server and Web UI) of the pinned version or newer. */
export async function resolveTemporalCli(log: Log = defaultLog): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const onPath = findOnPath('temporal');
  if (onPath && acceptableCli(onPath)) return onPath;

  const built = temporalCliCachePath();
  if (isExecutable(built)) return built;
  const downloaded = sdkDownloadedCli();
  if (downloaded && isExecutable(downloaded) && acceptableCli(downloaded)) return downloaded;

  // The download takes seconds where it works; the Go build takes minutes.
  if (downloaded && (await downloadHostAnswers(log))) {
    try {
      const binary = await sdkDownload(log);
      if (acceptableCli(binary)) return binary;
      log(`the SDK downloaded a Temporal CLI older than ${TEMPORAL_CLI_VERSION}; building the pinned one`);
    } catch (error) {
      log(`the SDK's download failed (${(error as Error).message}); building the CLI instead`);
    }
  }
  if (!findOnPath('go'))
    throw new Error(
      `no Temporal CLI ${TEMPORAL_CLI_VERSION} or newer on PATH or in the cache, no SDK download, and no Go ` +
        'toolchain on PATH to build one (set TEMPORAL_CLI_PATH, or install Go)',
    );
  fs.mkdirSync(path.dirname(built), { recursive: true });
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
    { env: { ...process.env, GOBIN: path.dirname(built), GOFLAGS: '-mod=mod' }, cwd: os.tmpdir() },
    log,
  );
  if (!isExecutable(built)) throw new Error(`the Go build left no Temporal CLI at ${built}`);
  return built;
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

/**
 * Installs the three servers (what `.ci/run` and `npm run tools` call): the CLI, the test server
 * and the production server. The production server has no download to fall back on, so its
 * failure is returned, not thrown: the caller decides how loudly to fail.
 */
export async function installTools(log: Log = defaultLog): Promise<{
  cli: string;
  testServer: ServerExecutable;
  production: TemporalServerTools | { error: string };
}> {
  const cli = await resolveTemporalCli(log);
  log(`Temporal CLI: ${cli}`);
  const testServer = await resolveTestServer(log);
  log(`time-skipping test server: ${testServer.type === 'existing-path' ? testServer.path : 'SDK download'}`);
  const production = await installTemporalServer(log);
  log(
    'error' in production
      ? `production Temporal server: NOT AVAILABLE: ${production.error}`
      : `production Temporal server: ${production.server} (schemas: ${production.schemaDir})`,
  );
  return { cli, testServer, production };
}
