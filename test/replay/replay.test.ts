/**
 * Replay guard: enrollments live for weeks and outlive deploys, so the current workflow code must
 * replay every recorded history. To record them again after an intended, compatible change:
 * `npm run record-replay` (see README).
 */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../../src/worker/bundle';
import { workflowBundlePath } from '../harness/temporal';

const HISTORIES = path.join(__dirname, 'histories');
const REQUIRED_PATHS = [
  'happy-path',
  'rejection',
  'information-loop',
  'withdrawal-in-review',
  'four-eyes',
  'review-overdue',
  'answer-in-time',
  'existing-work-account',
  'existing-work-account-corrected',
  'phone-by-voice',
  'getting-started',
  // A withdrawal accepted while the run hands over ends that run (patch 'withdrawal-during-hand-over').
  'withdrawal-during-hand-over',
  // The status memo: published while the flow waits; the runs before that, at every change.
  'status-memo',
  'status-memo-v1',
  // Runs before the edition of 2026-12 (src/workflows/edition.ts) recorded a marker per patch:
  // every path recorded since has its earlier recording as <path>-v4.
  'happy-path-v4',
  'status-memo-v4',
  'withdrawal-in-review-v4',
  // Runs of the flow before the guide's paths (workflows/legacy) still replay.
  'happy-path-v3',
  'review-expiry-v3',
  'review-expiry-v1',
  // A review of that flow moving to the guide's at its expiry, and arriving there.
  'earlier-flow-review-expiry-moves',
  'earlier-flow-answer-after-expiry',
  'earlier-flow-review-moved',
];

function histories() {
  return fs
    .readdirSync(HISTORIES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))),
    }));
}

test('every program path has a recorded history', () => {
  const recorded = histories().map((h) => h.workflowId);
  expect(recorded).toEqual(expect.arrayContaining(REQUIRED_PATHS));
});

test('the current workflow code replays every recorded history', async () => {
  const results = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: workflowBundlePath() } },
    histories(),
  )) {
    results.push({ history: result.workflowId, error: result.error?.message });
  }
  expect(results.length).toBeGreaterThanOrEqual(REQUIRED_PATHS.length);
  expect(results.filter((r) => r.error)).toEqual([]);
});

test('an incompatible change of the workflow fails the replay', async () => {
  const code = await bundleWorkflows(require.resolve('./incompatible'));
  const [happyPath] = histories().filter((h) => h.workflowId === 'happy-path');
  await expect(
    Worker.runReplayHistory({ workflowBundle: { code } }, happyPath.history, 'happy-path'),
  ).rejects.toThrow(DeterminismViolationError);
});
