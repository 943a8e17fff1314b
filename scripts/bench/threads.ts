/**
 * A worker child's CPU split by thread, from /proc/<pid>/task/<tid>/stat (Linux): the SDK's
 * workflow thread(s) (JavaScript workflow code, told apart by thread-tag.ts), the main thread
 * (activities, the payload codec, the SDK's JavaScript side), and the rest by thread name —
 * `tokio-runtime-w` (the SDK core's gRPC), `workflow-proces` (the core's workflow state
 * machines), `node` (V8's compiler and GC helpers, libuv's pool), and under --profile
 * `v8:ProfEvntProc` (the profiler's own thread, a cost of profiling).
 */
import fs from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ThreadTag {
  tid: number;
  /** Node's worker_threads ID: 0 in the main thread; names the thread's --cpu-prof file. */
  threadId: number;
  kind: 'main' | 'workflow' | 'worker';
}

export interface CpuSnapshot {
  /** The whole process, threads already gone included. */
  processSeconds: number;
  threads: Map<number, { name: string; seconds: number }>;
}

function cpuSeconds(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  // Fields after the command name (which may hold spaces), from "state" on: utime, stime are 12th, 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function cpuSnapshot(pid: number): CpuSnapshot | undefined {
  try {
    const threads = new Map<number, { name: string; seconds: number }>();
    for (const entry of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = fs.readFileSync(`/proc/${pid}/task/${entry}/comm`, 'utf8').trim();
        threads.set(Number(entry), { name, seconds: cpuSeconds(`/proc/${pid}/task/${entry}/stat`) });
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return { processSeconds: cpuSeconds(`/proc/${pid}/stat`), threads };
  } catch {
    return undefined;
  }
}

export function readThreadTags(file: string): ThreadTag[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ThreadTag);
}

/** CPU seconds between two snapshots: the total, the workflow thread(s), the main thread, the rest by name. */
export interface CpuSplit {
  total: number;
  workflowThread: number;
  mainThread: number;
  /** Every other thread, by its name; `(ended)` is what threads gone since the first snapshot used. */
  others: Record<string, number>;
}

export function cpuBetween(
  before: CpuSnapshot,
  after: CpuSnapshot,
  pid: number,
  tags: ThreadTag[],
): CpuSplit {
  const workflowTids = new Set(tags.filter((t) => t.kind === 'workflow').map((t) => t.tid));
  const split: CpuSplit = {
    total: after.processSeconds - before.processSeconds,
    workflowThread: 0,
    mainThread: 0,
    others: {},
  };
  let accounted = 0;
  for (const [tid, { name, seconds }] of after.threads) {
    const used = seconds - (before.threads.get(tid)?.seconds ?? 0);
    accounted += used;
    if (tid === pid) split.mainThread += used;
    else if (workflowTids.has(tid)) split.workflowThread += used;
    else split.others[name] = (split.others[name] ?? 0) + used;
  }
  const ended = split.total - accounted;
  // Ticks are counted per thread and for the process apart: a hundredth either way is rounding.
  if (ended > 0.015) split.others['(ended)'] = ended;
  return split;
}
