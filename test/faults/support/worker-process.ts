/**
 * Real worker processes (`node dist/src/worker/main.js`, as deployed) for a fault stack: they can
 * be killed with SIGKILL, and their chatter stays out of the test output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../../src/config';
import { ownChild } from '../../../src/tooling/child-processes';
import { TEST_KEY_RING } from '../../harness/keys';
import { workflowBundlePath } from '../../harness/temporal';

export class WorkerProcesses {
  private readonly all: ChildProcess[] = [];

  constructor(private readonly config: Config) {}

  /** Processes not yet killed or exited. */
  get alive(): ChildProcess[] {
    return this.all.filter((child) => child.exitCode === null && child.signalCode === null);
  }

  get started(): number {
    return this.all.length;
  }

  start(): ChildProcess {
    const [keyId, key] = [...TEST_KEY_RING.keys.entries()][0];
    const child = spawn(process.execPath, [path.resolve('dist/src/worker/main.js')], {
      env: {
        ...process.env,
        ...Object.fromEntries(
          Object.entries(this.config)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
        ),
        CSP_WORKFLOW_BUNDLE: workflowBundlePath(),
        CSP_PAYLOAD_KEYS: `${keyId}=${key.toString('base64')}`,
        CSP_METRICS_PORT: '0',
        CSP_LOG_LEVEL: 'ERROR',
      },
      // The worker logs JSON lines on stdout; a crash still shows on stderr.
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Killed too if the test process ends without afterAll (an interrupted run): no orphan polls on.
    ownChild(child);
    this.all.push(child);
    return child;
  }

  /** SIGKILLs every process still running and waits until they are gone. */
  async killAll(): Promise<void> {
    await Promise.all(this.alive.map((child) => kill(child)));
  }
}

export function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return gone;
}
