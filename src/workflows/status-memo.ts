/**
 * The status where readers find it without running workflow code: the run's memo, which
 * `describe()` returns (src/client/status.ts). A query would make the worker replay an enrollment
 * it no longer caches. The memo is upserted at the end of each workflow task that changed the
 * status (once per task, whatever changed in it) and left the flow waiting rather than between two
 * steps, so what a reader sees is what that task left; it goes through the payload codec like
 * every payload (sealed).
 *
 * The upserts are commands: a code change that makes the status differ in a workflow task where it
 * did not before adds one, and needs a patch like any new command (the replay suite shows it).
 */
import { CancellationScope, condition, upsertMemo } from '@temporalio/workflow';
import type { EnrollmentStatus } from '../domain/status';
import { STATUS_MEMO } from './definitions';

/** Well within Temporal's memo limit (2 MB by default); a larger status is left to the query. */
const MAX_MEMO_CHARS = 512 * 1024;

/**
 * The status as published, upserted in its place. The SDK keeps an upserted memo in the run's
 * workflow info and copies that info into every log line and metric the workflow sends to the
 * worker's main thread (twice: a structured clone, then the thread's message); the live status
 * object, 5-8 KB of JSON by the end, cost each of them ~0.1 ms, a string next to nothing. The
 * payload converter serializes it through `toJSON` as the status itself, so the memo's payload is
 * the one upserted before, byte for byte.
 */
class PublishedStatus {
  constructor(private readonly json: string) {}
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/**
 * Keeps the memo in step with `status`; returns a flush for the moments before a run closes.
 * `between` (runs since the 'memo-between-steps' patch, ./enrollment): while it holds, the flow is
 * between two steps and the memo waits for the task that ends them — readers know it from the
 * pending activities (src/client/status.ts). A run then upserts its memo about once per wait
 * instead of at every task, each upsert being a history event and a visibility write.
 */
export function publishStatus(status: EnrollmentStatus, between?: () => boolean): () => void {
  // One copy of the serialized status is kept per cached enrollment: the one published.
  let published = '';
  let current = '';
  // Serializing is what tells a change.
  const differs = () => {
    const now = JSON.stringify(status);
    if (now === published) return false;
    current = now;
    return true;
  };
  const upsert = () => {
    published = current;
    current = '';
    upsertMemo({ [STATUS_MEMO]: published.length <= MAX_MEMO_CHARS ? new PublishedStatus(published) : null });
  };
  // Outside the run's cancellation: a cancelled enrollment still publishes how it ended, and a
  // cancelled wait here would be an unhandled rejection that fails every workflow task.
  void CancellationScope.nonCancellable(async () => {
    if (!between) {
      // Evaluated by the SDK at every pass over the workflow's conditions.
      for (;;) {
        await condition(differs);
        if (differs()) upsert();
      }
    }
    // A wait that is over holds the upsert (`between`) until the flow has gone on and started its
    // next step, whose activity then holds it in turn: one upsert per wait, never one too few.
    for (;;) {
      await condition(() => !between() && differs());
      if (differs()) upsert();
    }
  });
  // Before the run closes: whatever is still in flight, the memo must show how it ended.
  return () => {
    if (differs()) upsert();
  };
}
