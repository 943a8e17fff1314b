/**
 * The status where readers find it without running workflow code: the run's memo, which
 * `describe()` returns (src/client/status.ts). A query would make the worker replay an enrollment
 * it no longer caches. The memo is upserted at the end of each workflow task that changed the
 * status (once per task, whatever changed in it), so what a reader sees is what the task left; it
 * goes through the payload codec like every payload (sealed).
 *
 * The upserts are commands: a code change that makes the status differ in a workflow task where it
 * did not before adds one, and needs a patch like any new command (the replay suite shows it).
 */
import { CancellationScope, condition, upsertMemo } from '@temporalio/workflow';
import type { EnrollmentStatus } from '../domain/status';
import { STATUS_MEMO } from './definitions';

/** Well within Temporal's memo limit (2 MB by default); a larger status is left to the query. */
const MAX_MEMO_CHARS = 512 * 1024;

/** Keeps the memo in step with `status`; returns a flush for the moments before a run closes. */
export function publishStatus(status: EnrollmentStatus): () => void {
  // One copy of the serialized status is kept per cached enrollment: the one published.
  let published = '';
  let current = '';
  // Evaluated by the SDK at the end of every activation: serializing is what tells a change.
  const changed = () => {
    const now = JSON.stringify(status);
    if (now === published) return false;
    current = now;
    return true;
  };
  const publish = () => {
    if (!changed()) return;
    published = current;
    current = '';
    upsertMemo({ [STATUS_MEMO]: published.length <= MAX_MEMO_CHARS ? status : null });
  };
  // Outside the run's cancellation: a cancelled enrollment still publishes how it ended, and a
  // cancelled wait here would be an unhandled rejection that fails every workflow task.
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(changed);
      publish();
    }
  });
  return publish;
}
