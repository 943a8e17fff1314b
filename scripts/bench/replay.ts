/**
 * The workflow code's CPU per run, by replay: one recorded history of each workflow (the
 * enrollment's, the baseline's) replayed many times in a child process of its own (replay-child.ts,
 * on the workers' node). A replay runs the same activations, conditions and commands as the live
 * run, without the server, the network, activities, queries or log lines, so its figure moves by
 * about a per cent from run to run where the live workflow thread's moves by ten: the figure to
 * check a change of the workflow code against, beside the live one the target is read from.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { workerNode } from './processes';
import { summarizeProfiles, type ProfileSummary } from './profile';
import type { ReplayFigures } from './replay-child';

export type { ReplayFigures } from './replay-child';

/** A replay's figures, and under `--profile` the summary of its CPU profile. */
export type Replayed = ReplayFigures & { profile?: ProfileSummary };

/** Compiled, as the bench's workers are run (from the project's folder, after `npm run build`). */
const CHILD = path.resolve('dist/scripts/bench/replay-child.js');

/** Replays the history in `historyFile` `replays` times with `bundle`; fails if it does not replay. */
export async function replayCost(options: {
  historyFile: string;
  bundle: string;
  replays: number;
  /** The payload keys the history was sealed with (none: plain payloads). */
  keys?: string;
  /** A folder for the child's CPU profile (V8's sampling profiler); its top functions are summed. */
  profile?: string;
}): Promise<Replayed> {
  const { profile, bundle, replays } = options;
  const args = [CHILD, options.historyFile, bundle, String(replays)];
  if (options.keys) args.push(options.keys);
  if (profile) {
    fs.rmSync(profile, { recursive: true, force: true });
    args.unshift('--cpu-prof', '--cpu-prof-dir', profile);
  }
  try {
    const { stdout } = await promisify(execFile)(workerNode(), args, { maxBuffer: 16 * 1024 * 1024 });
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as ReplayFigures;
    if (!profile) return figures;
    // The replay runs the workflow code on the child's main thread (thread 0): its samples are
    // the workflow code's, summed as a worker's workflow thread is.
    const summary = summarizeProfiles({
      dir: profile,
      tags: [{ tid: 0, threadId: 0, kind: 'workflow' }],
      bundles: [bundle],
      fromUs: figures.fromUs,
      toUs: figures.toUs,
      runs: replays,
      cpuMsPerRun: { workflow: figures.cpuMsPerReplay },
    });
    return { ...figures, profile: summary };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`replay of ${path.basename(options.historyFile)} failed: ${stderr || String(error)}`);
  }
}

/** Writes a workflow's history where replay-child.ts reads it. */
export async function saveHistory(client: Client, workflowId: string, file: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  fs.writeFileSync(file, historyToJSON(history));
  return file;
}
