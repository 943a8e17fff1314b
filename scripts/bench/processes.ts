/** Worker child processes for the bench: started, timed until they poll, measured, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cpuSnapshot, readThreadTags, type CpuSnapshot, type ThreadTag } from './threads';

export interface ChildWorker {
  child: ChildProcess;
  /** From spawn to the worker reporting state RUNNING. */
  startMs: number;
  /** Its CPU now, by thread (threads.ts). */
  cpu(): CpuSnapshot | undefined;
  /** Which thread is which (thread-tag.ts): complete once the worker runs. */
  threads(): ThreadTag[];
  /** Where `--cpu-prof` writes one profile per thread when the process exits; set with `profile`. */
  profileDir?: string;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** A folder of this run's: the thread tags go there. */
  dir: string;
  /** Names the child's files: `<label>-threads.jsonl`, `<profile>/<label>/`. */
  label: string;
  /** A folder under which to write the child's CPU profiles (every thread, V8's sampling profiler). */
  profile?: string;
}

export async function startChildWorker(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: ChildOptions,
): Promise<ChildWorker> {
  const threadsFile = path.join(options.dir, `${options.label}-threads.jsonl`);
  fs.rmSync(threadsFile, { force: true });
  const profileDir = options.profile ? path.join(options.profile, options.label) : undefined;
  if (profileDir) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
  }
  // --cpu-prof is inherited by worker_threads (Node 20), each writing its own file on exit.
  const nodeArgs = [
    '--require',
    require.resolve('./thread-tag'),
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ];
  const spawned = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    env: { ...env, CSP_BENCH_THREADS: threadsFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const startMs = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      // The SDK logs "Worker state changed" with state RUNNING once it polls.
      if (line.includes('"state":"RUNNING"')) resolve(Date.now() - spawned);
    });
    // Watched, not awaited: an exit before RUNNING fails the start (exited never rejects).
    void exited.then(() => reject(new Error(`worker ${args[0]} exited during start-up`)));
  });
  return {
    child,
    startMs,
    cpu: () => cpuSnapshot(child.pid!),
    threads: () => readThreadTags(threadsFile),
    profileDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
