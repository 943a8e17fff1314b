/**
 * Preloaded (`node --require`) into the bench's worker children, where it runs in the main thread
 * and in every worker_thread: it appends one line per thread to the file in CSP_BENCH_THREADS —
 * the OS thread ID and what the thread is. Node 20 names all its threads "node", so /proc alone
 * cannot tell the SDK's workflow thread from V8's and libuv's helpers (threads.ts reads this).
 * With CSP_BENCH_HEAP set, each thread also appends its V8 heap every 2 s (processes.ts reads it).
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { isMainThread, threadId } from 'node:worker_threads';

const file = process.env.CSP_BENCH_THREADS;

/** The SDK runs workflow code in worker_threads started from this module. */
const WORKFLOW_THREAD_MODULE = /@temporalio[\\/]worker[\\/]lib[\\/]workflow[\\/]workflow-worker-thread\.js$/;

function tag(): void {
  if (!file) return;
  // "<pid>/task/<tid>": /proc/thread-self names the calling thread, which is this one.
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').at(-1));
  fs.appendFileSync(file, `${JSON.stringify({ tid, threadId, kind: kind() })}\n`);
}

/** What this thread is, known once its own script has loaded (then it does not change). */
let known: 'main' | 'workflow' | 'worker' | undefined;
function kind(): 'main' | 'workflow' | 'worker' {
  known ??= isMainThread
    ? 'main'
    : Object.keys(require.cache).some((name) => WORKFLOW_THREAD_MODULE.test(name))
      ? 'workflow'
      : 'worker';
  return known;
}

// A worker_thread loads its own script after the preloads: look once it has.
if (isMainThread) tag();
else setImmediate(tag);

// Each thread's V8 heap every 2 s (used, committed, its limit), in CSP_BENCH_HEAP.
const heapFile = process.env.CSP_BENCH_HEAP;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
if (heapFile)
  setInterval(() => {
    const heap = v8.getHeapStatistics();
    const line = {
      kind: kind(),
      usedMb: mb(heap.used_heap_size),
      totalMb: mb(heap.total_heap_size),
      limitMb: mb(heap.heap_size_limit),
    };
    fs.appendFileSync(heapFile, `${JSON.stringify(line)}\n`);
  }, 2000).unref();
