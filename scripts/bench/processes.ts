/** Worker child processes for the bench: started, timed until they poll, measured, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cpuSnapshot, readThreadTags, type CpuSnapshot, type ThreadTag } from './threads';

/**
 * The node that runs the service's processes (the workers, `--scale`'s CLI): the bench's own, or
 * the one `--node` names (e.g. the images' current LTS, to measure what only a newer Node has,
 * such as the module compile cache).
 */
export function workerNode(): string {
  return process.env.CSP_BENCH_NODE || process.execPath;
}

export interface ChildWorker {
  child: ChildProcess;
  /** From spawn to the worker reporting state RUNNING. */
  startMs: number;
  /** Its CPU now, by thread (threads.ts). */
  cpu(): CpuSnapshot | undefined;
  /** Which thread is which (thread-tag.ts): complete once the worker runs. */
  threads(): ThreadTag[];
  /** The largest V8 heaps its threads reported so far (sampled every 2 s, thread-tag.ts), by thread kind. */
  heaps(): Record<string, HeapPeak>;
  /** Where `--cpu-prof` writes one profile per thread when the process exits; set with `profile`. */
  profileDir?: string;
  stop(): Promise<void>;
}

/** A thread's V8 heap at its largest: used (live and not yet collected), committed, its limit. */
export interface HeapPeak {
  usedMb: number;
  totalMb: number;
  limitMb: number;
}

export interface ChildOptions {
  /** A folder of this run's: the thread tags go there. */
  dir: string;
  /** Names the child's files: `<label>-threads.jsonl`, `<profile>/<label>/`. */
  label: string;
  /** A folder under which to write the child's CPU profiles (every thread, V8's sampling profiler). */
  profile?: string;
  /** node's own flags, before the script. */
  nodeArgs?: string[];
}

export async function startChildWorker(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: ChildOptions,
): Promise<ChildWorker> {
  const threadsFile = path.join(options.dir, `${options.label}-threads.jsonl`);
  const heapFile = path.join(options.dir, `${options.label}-heap.jsonl`);
  for (const file of [threadsFile, heapFile]) fs.rmSync(file, { force: true });
  const profileDir = options.profile ? path.join(options.profile, options.label) : undefined;
  if (profileDir) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
  }
  // --cpu-prof is inherited by worker_threads (Node 20), each writing its own file on exit.
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    '--require',
    require.resolve('./thread-tag'),
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ];
  const spawned = Date.now();
  const child = spawn(workerNode(), [...nodeArgs, ...args], {
    env: { ...env, CSP_BENCH_THREADS: threadsFile, CSP_BENCH_HEAP: heapFile },
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
    heaps: () => heapPeaks(heapFile),
    profileDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function heapPeaks(file: string): Record<string, HeapPeak> {
  const peaks: Record<string, HeapPeak> = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  for (const line of lines) {
    const { kind, usedMb, totalMb, limitMb } = JSON.parse(line) as HeapPeak & { kind: string };
    const peak = (peaks[kind] ??= { usedMb: 0, totalMb: 0, limitMb });
    peak.usedMb = Math.max(peak.usedMb, usedMb);
    peak.totalMb = Math.max(peak.totalMb, totalMb);
  }
  return peaks;
}
