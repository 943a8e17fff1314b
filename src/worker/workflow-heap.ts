/**
 * The worker's heap limits. V8 sizes a heap from the machine's memory (gigabytes here) and
 * collects late, so garbage piles up far beyond what the threads hold: a workflow thread with 100
 * cached and 1,000 replayed grew to 630 MB; limited, 430 MB. The main thread (activities, payload
 * codec, the SDK's side) likewise: BENCHMARKS.md, worker RSS.
 */
import v8 from 'node:v8';

/**
 * Base of the bundle and the SDK, plus twice what a cached enrollment holds (0.23 MB measured
 * with the schemas shared, BENCHMARKS.md) so that there is room to collect.
 */
export const workflowHeapMb = (maxCachedWorkflows: number, configured?: number): number =>
  configured ?? Math.max(128, Math.ceil(96 + 0.5 * maxCachedWorkflows));

/**
 * The main thread's limit, in MB of old space: it holds 40-60 MB live (2,000 enrollments parked
 * 20 at a time), and let grow it reached 215 MB of heap. Set where node starts the worker (its
 * flags: `npm run worker`, the image's command, the bench's enrollment worker), as a heap's limit
 * is fixed when the heap is made. Not `npm start`, whose one process also runs the API.
 */
export const MAIN_THREAD_HEAP_MB = 128;

/**
 * The young generation's semi-space, 16 MB: what Node 20 (V8 11) takes on its own. Node 24's V8
 * (the images' runtime) grew each thread's young generation to 128 MB whatever the old space's
 * limit: the committed heaps then sat near their limits and V8 ran a full collection several
 * times a second, 0.2 s of GC threads' CPU per enrollment, twice the worker's CPU (BENCHMARKS.md).
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=16';

/** The worker's node flags: both heaps' limits for its main thread. */
export const MAIN_THREAD_HEAP_FLAGS = [`--max-old-space-size=${MAIN_THREAD_HEAP_MB}`, SEMI_SPACE_FLAG];

/**
 * Must run before the worker is created: the SDK starts the workflow thread then, and a new
 * isolate takes its limit from the V8 flags (the main thread's heap is already set and keeps its own).
 */
export function limitWorkflowHeap(megabytes: number): void {
  v8.setFlagsFromString(`--max-old-space-size=${megabytes}`);
  v8.setFlagsFromString(SEMI_SPACE_FLAG);
}
