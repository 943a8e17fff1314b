/**
 * Which of the flow's code changes (patches) a run follows. Every `patched()` a run asks records
 * a marker in its history and, by the SDK's doing, an upsert of the `TemporalChangeVersion`
 * search attribute: two events and a visibility write per patch, five patches in a run of the
 * happy path. Runs started since EDITION record that one patch, first thing, and follow every
 * patch of PATCHES_IN_EDITION without asking it again. Runs started before replay each patch as
 * they recorded it.
 *
 * A patch added after the edition is not in it: ask it with `patched()` as usual (or `follows()`,
 * which asks it), never add it to the list — runs of the edition that did not follow it would
 * then replay as if they had.
 *
 * Module state is the workflow's own: every workflow evaluates its own copy of this module.
 */
import { patched } from '@temporalio/workflow';

const EDITION = 'edition-2026-12';

/** The patches of the flow when the edition was made; each is documented where it is asked. */
const PATCHES_IN_EDITION: ReadonlySet<string> = new Set([
  'guide-flow',
  'durable-audit-log',
  'status-memo',
  'memo-between-steps',
  'withdrawal-during-hand-over',
  'agreement-stage-in-decision-task',
  'moved-review-deadlines',
  'record-carried-acceptance',
  'alarms-never-burst',
  'resend-window-after-end',
  'outbox-keeps-undelivered',
]);

let ofEdition = false;

/** Asked once, in the run's first workflow task, before any other patch. */
export function openEdition(): void {
  ofEdition = patched(EDITION);
}

/** Whether this run follows `patch`: runs of the edition follow all of theirs without asking. */
export function follows(patch: string): boolean {
  return (ofEdition && PATCHES_IN_EDITION.has(patch)) || patched(patch);
}

/** Whether this run is of the edition: for what changed with it (e.g. upserts merged). */
export function ofThisEdition(): boolean {
  return ofEdition;
}
