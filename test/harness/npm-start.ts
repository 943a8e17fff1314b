/**
 * The real `npm start` (node dist/src/start.js, as `npm start` runs it after its build) with a
 * temporary data folder and free ports, in a process group of its own as a terminal would run it,
 * so a test can press Ctrl-C (SIGINT to the group), kill a part, or SIGKILL npm start itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../src/tooling/free-port';
import { workflowBundlePath } from './temporal';

const ROOT = path.resolve(__dirname, '..', '..');

export interface NpmStartPorts {
  temporal: number;
  ui: number;
  simulator: number;
  mailboxHttp: number;
  smtp: number;
  api: number;
  codec: number;
  metrics: number;
}

export interface NpmStart {
  dataDir: string;
  ports: NpmStartPorts;
  /** The npm start process (node). */
  process: ChildProcess;
  /** The PID of the Temporal dev server it started, from the banner; NaN when it used one running. */
  devServerPid: number;
  /** Everything npm start printed so far. */
  output(): string;
  /** Settles when npm start has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** A signal to npm start's process group, as the terminal sends Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Stops it if it still runs, and removes the data folder (unless kept for a restart). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** Is a process with this PID still there (zombies of our own children aside)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(100);
  }
}

/**
 * Starts npm start; `dataDir` starts it again on an earlier run's data. Ports are fresh each time:
 * on a shared machine a port let go may be taken by anyone's next connection. `env` adds settings
 * (TEMPORAL_ADDRESS of a server already running).
 */
export async function startNpmStart(dataDir?: string, env: NodeJS.ProcessEnv = {}): Promise<NpmStart> {
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'csp-npm-start-'));
  const ports: NpmStartPorts = {
    temporal: await freePort(),
    ui: await freePort(),
    simulator: await freePort(),
    mailboxHttp: await freePort(),
    smtp: await freePort(),
    api: await freePort(),
    codec: await freePort(),
    metrics: await freePort(),
  };
  // Nothing of the test run's own settings leaks in: npm start with its defaults but the ports.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CSP_|TEMPORAL_|SMTP_)/.test(name)),
  );
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'start.js')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      TEMPORAL_CLI_PATH: process.env.CSP_TEST_TEMPORAL_CLI,
      CSP_WORKFLOW_BUNDLE: workflowBundlePath(),
      CSP_DATA_DIR: dataDir,
      CSP_TEMPORAL_PORT: String(ports.temporal),
      CSP_TEMPORAL_UI_PORT: String(ports.ui),
      CSP_SIMULATOR_PORT: String(ports.simulator),
      CSP_MAILBOX_HTTP_PORT: String(ports.mailboxHttp),
      SMTP_PORT: String(ports.smtp),
      CSP_API_PORT: String(ports.api),
      CSP_CODEC_PORT: String(ports.codec),
      CSP_METRICS_PORT: String(ports.metrics),
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  // Watched, not awaited: the wait below polls the flag (exited never rejects).
  void exited.then(() => (gone = true));
  const data = dataDir;
  await waitUntil('npm start prints its banner', () => {
    if (gone) throw new Error(`npm start exited during start-up:\n${output}`);
    return output.includes('Ctrl-C stops everything.');
  });
  const devServerPid = Number(/started a dev server at \S+ \(pid (\d+);/.exec(output)?.[1]);
  return {
    dataDir: data,
    ports,
    process: child,
    devServerPid,
    output: () => output,
    exited,
    signalGroup: (signal) => process.kill(-child.pid!, signal),
    async close(options = {}) {
      if (!gone) {
        process.kill(-child.pid!, 'SIGINT');
        await exited;
      }
      if (devServerPid) await waitUntil('the Temporal dev server is gone', () => !alive(devServerPid));
      if (!options.keepData) fs.rmSync(data, { recursive: true, force: true });
    },
  };
}
