/**
 * The heap limit of the thread that runs workflows. V8 sizes a heap from the machine's memory
 * (gigabytes here) and collects late, so the garbage of evicted workflows piles up far beyond what
 * the cached ones hold: a worker with 100 cached and 1,000 replayed grew to 630 MB; limited, 430 MB.
 */
import v8 from 'node:v8';

/**
 * Base of the bundle and the SDK, plus twice what a cached enrollment holds (0.23 MB measured
 * with the schemas shared, BENCHMARKS.md) so that there is room to collect.
 */
export const workflowHeapMb = (maxCachedWorkflows: number, configured?: number): number =>
  configured ?? Math.max(128, Math.ceil(96 + 0.5 * maxCachedWorkflows));

/**
 * Must run before the worker is created: the SDK starts the workflow thread then, and a new
 * isolate takes its limit from the V8 flags (the main thread's heap is already set and keeps its own).
 */
export function limitWorkflowHeap(megabytes: number): void {
  v8.setFlagsFromString(`--max-old-space-size=${megabytes}`);
}
