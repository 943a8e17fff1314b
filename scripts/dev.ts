/**
 * `npm run dev`: the development loop. TypeScript compiles src/ into dist/ on every change
 * (`tsc --watch`), and after each compile without errors the service (`npm start`'s dist/src/start.js)
 * is restarted: stopped as Ctrl-C stops it, its worker draining, then started again. The worker
 * bundles the workflows from src/ (NODE_ENV=development), so no bundle step is needed.
 *
 * The Temporal server outlives the restarts: one that already answers (TEMPORAL_ADDRESS, default
 * 127.0.0.1:CSP_TEMPORAL_PORT) is used, else a dev server is started here for the whole session and
 * stopped on Ctrl-C; each restart of the service finds it running. A compile with errors leaves the
 * last good build running; a service that dies waits for the next change. The development tokens
 * are made here, once, so they stay valid across restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import readline from 'node:readline';
import { bannerLine, developmentTokens, tokensSpec } from '../src/api/tokens';
import { dataPath, loadConfig } from '../src/config';
import { temporalSettings } from '../src/config/temporal';
import { stopOnSignal } from '../src/process/stop-on-signal';
import { ownChild } from '../src/tooling/child-processes';
import { useOrStartDevServer, type DevTemporal } from '../src/tooling/dev-server';
import { repositoryPath } from '../src/tooling/repository';

const log = (line: string) => console.log(`[dev] ${line}`);
/** What `tsc --watch --pretty false` prints when a compile is done. */
const COMPILED = /Found (\d+) errors?\. Watching for file changes\./;

let temporal: DevTemporal | undefined;
let tsc: ChildProcess | undefined;
let service: ChildProcess | undefined;
let serviceExited: Promise<void> = Promise.resolve();
/** Restarts run one after another: a compile that lands during a restart waits its turn. */
let restarts: Promise<void> = Promise.resolve();
let stopping = false;

async function stopService(): Promise<void> {
  const running = service;
  // Forgotten first, so its exit is not reported as a death.
  service = undefined;
  if (!running || running.exitCode !== null || running.signalCode !== null) return;
  running.kill('SIGTERM');
  await serviceExited;
}

function startService(env: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, [repositoryPath('dist', 'src', 'start.js')], {
    cwd: repositoryPath(),
    stdio: 'inherit',
    env,
  });
  ownChild(child);
  service = child;
  serviceExited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping && service === child)
        log(`the service exited (${signal ?? `code ${code}`}); it starts again on the next change`);
      resolve();
    }),
  );
}

function onCompiled(errors: number, env: NodeJS.ProcessEnv, first: boolean): void {
  if (errors > 0) {
    log(`${errors} compile error(s): ${first ? 'nothing started yet' : 'the last good build keeps running'}`);
    return;
  }
  restarts = restarts.then(async () => {
    if (stopping) return;
    if (!first) log('compiled: restarting the service');
    await stopService();
    if (!stopping) startService(env);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const stop = stopOnSignal('npm run dev', async () => {
    stopping = true;
    tsc?.kill('SIGTERM');
    await restarts;
    await stopService();
    if (temporal?.started) {
      await temporal.started.stop();
      log('Temporal dev server stopped');
    }
  });
  try {
    const settings = temporalSettings(config, `127.0.0.1:${config.CSP_TEMPORAL_PORT}`);
    const { address = '', tls, apiKey, metadata } = settings.connectionOptions;
    temporal = await useOrStartDevServer(
      { address, tls, apiKey, metadata },
      {
        dbFile: dataPath(config, 'temporal.sqlite'),
        uiPort: config.CSP_TEMPORAL_UI_PORT,
        logFile: dataPath(config, 'temporal.log'),
      },
    );
    log(
      temporal.started
        ? `Temporal: started a dev server at ${temporal.address} for this session (Web UI ${temporal.started.uiUrl})`
        : `Temporal: using the server already running at ${temporal.address}`,
    );
    if (temporal.started) {
      const server = temporal.started;
      void server.exited.then(() => void stop(1, 'the Temporal dev server exited'));
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      TEMPORAL_ADDRESS: temporal.address,
    };
    if (!env.CSP_OPERATOR_TOKEN) {
      env.CSP_OPERATOR_TOKEN = randomBytes(18).toString('base64url');
      log(`operator token (codec server) for this session: ${env.CSP_OPERATOR_TOKEN}`);
    }
    if (!env.CSP_API_TOKENS) {
      const tokens = developmentTokens();
      env.CSP_API_TOKENS = tokensSpec(tokens);
      log('development tokens for this session:');
      for (const entry of tokens.entries()) log(bannerLine(entry));
    }

    tsc = ownChild(
      spawn(
        process.execPath,
        [
          require.resolve('typescript/bin/tsc'),
          ...['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput', '--pretty', 'false'],
        ],
        { cwd: repositoryPath(), stdio: ['ignore', 'pipe', 'inherit'] },
      ),
    );
    tsc.once('exit', (code) => void stop(1, `tsc exited (code ${code})`));
    let first = true;
    readline.createInterface({ input: tsc.stdout! }).on('line', (line) => {
      if (line.trim()) console.log(`[tsc] ${line}`);
      const compiled = COMPILED.exec(line);
      if (!compiled) return;
      onCompiled(Number(compiled[1]), env, first);
      first = false;
    });
    log('compiling src/ into dist/ (tsc --watch); the service starts after the first compile');
  } catch (error) {
    await stop(1, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

void main();
