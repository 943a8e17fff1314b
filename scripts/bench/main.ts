/**
 * `npm run bench`: enrollments end to end on a Temporal server of its own, the simulator without
 * latency, the dev mailbox and one worker process; and a bare baseline workflow of the same shape
 * driven the same way (drive.ts), run before and after the enrollments so that the two baseline
 * runs give the figures' noise. The engine is the dev server (SQLite in a temp dir), the
 * production engine (PostgreSQL, mutual TLS: src/tooling/production-engine.ts), or both one after
 * the other. Prints the figures against the targets — the workers' CPU split by thread, the client
 * calls and history events per run — what an enrollment cost the engine (with PostgreSQL's own
 * statistics on the production engine: docs/capacity.md's inputs) and, for both, a side-by-side
 * table; writes them to test-artifacts/bench-results.json. With --profile, each phase's worker
 * runs under V8's CPU profiler (every thread) and the top functions are printed (profile.ts).
 *
 *   node dist/scripts/bench/main.js [--engine dev|production|both] [--n 300] [--concurrency 10]
 *                                   [--duration <s>] [--decisions 60] [--shards <production engine's>]
 *                                   [--profile]
 *   node dist/scripts/bench/main.js --scale [--k 10000] [--concurrency 20]   (see scale.ts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflows } from '../../src/worker/bundle';
import { SEMI_SPACE_FLAG } from '../../src/worker/workflow-heap';
import {
  decisionsInTurn,
  noCalls,
  runBaseline,
  runEnrollment,
  type ClientCalls,
  type RunFigures,
} from './drive';
import { measured } from './engine-work';
import { machine, withInfra, type EngineName, type Infra } from './infra';
import { processStats } from './process-stats';
import { startChildWorker, type ChildWorker } from './processes';
import { profileLines, summarizeProfiles } from './profile';
import { progress } from './progress';
import { replayCost, saveHistory } from './replay';
import { comparisonTable, engineFigures, engineLines, type EngineRun, type Phase } from './report';
import { runScale } from './scale';
import { pool, round } from './stats';
import { cpuBetween } from './threads';

const options = parseArgs({
  options: {
    n: { type: 'string', default: '300' },
    concurrency: { type: 'string' },
    duration: { type: 'string' },
    scale: { type: 'boolean', default: false },
    k: { type: 'string', default: '10000' },
    decisions: { type: 'string', default: '60' },
    engine: { type: 'string', default: 'dev' },
    shards: { type: 'string' },
    profile: { type: 'boolean', default: false },
    node: { type: 'string' },
    replays: { type: 'string', default: '100' },
  },
}).values;
// Read where the workers are spawned (processes.ts); the bench itself runs on its own node.
if (options.node) process.env.CSP_BENCH_NODE = path.resolve(options.node);
/** The production engine's history shards (default: deploy/temporal's, 8). */
const SHARDS = options.shards ? Number(options.shards) : undefined;
const ENGINES: EngineName[] =
  options.engine === 'both'
    ? ['dev', 'production']
    : [options.engine === 'production' ? 'production' : 'dev'];
if (!['dev', 'production', 'both'].includes(options.engine!))
  throw new Error('--engine: dev, production or both');
const N = Number(options.n);
const CONCURRENCY = Number(options.concurrency ?? (options.scale ? 20 : 10));
const DURATION_S = options.duration ? Number(options.duration) : undefined;
const DECISIONS = Number(options.decisions);
/** Replays of one history of each workflow (replay.ts); 0: none. */
const REPLAYS = Number(options.replays);
/** Where --profile keeps the workers' CPU profiles (open them in Chrome DevTools or VS Code). */
const PROFILE_DIR = path.resolve('test-artifacts/bench-profile');

/** CLOCK_MONOTONIC in µs: the clock of V8's profiles, so a phase's samples can be picked out. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Runs `one` N times (or for DURATION_S) with CONCURRENCY lanes while one worker process serves;
 * its CPU is read by thread from the first run to the last (start-up left out), then it stops.
 */
async function phase(
  label: string,
  worker: ChildWorker,
  one: (i: number) => Promise<RunFigures>,
  bundles: string[],
): Promise<Phase> {
  const runs: RunFigures[] = [];
  let failed = 0;
  const bar = progress(label, N);
  const cpuBefore = worker.cpu();
  const fromUs = nowUs();
  const started = Date.now();
  const deadline = DURATION_S ? started + DURATION_S * 1000 : Infinity;
  await pool(N, CONCURRENCY, async (i) => {
    if (Date.now() > deadline) return;
    try {
      runs.push(await one(i));
    } catch (error) {
      failed += 1;
      process.stderr.write(`\n${label} #${i}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    bar.tick();
  });
  bar.done();
  const seconds = (Date.now() - started) / 1000;
  const toUs = nowUs();
  const cpuAfter = worker.cpu();
  const stats = processStats(worker.child.pid!);
  await worker.stop();
  const n = Math.max(1, runs.length);
  const cpu =
    cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter, worker.child.pid!, worker.threads()) : undefined;
  const calls = noCalls();
  for (const run of runs)
    for (const kind of Object.keys(calls) as (keyof ClientCalls)[]) calls[kind] += run.calls[kind] / n;
  return {
    completed: runs.length,
    failed,
    seconds: round(seconds),
    perSecond: round(runs.length / seconds),
    runs,
    calls: Object.fromEntries(
      Object.entries(calls).map(([k, v]) => [k, round(v, 2)]),
    ) as unknown as ClientCalls,
    worker: {
      startMs: worker.startMs,
      peakRssMb: round(stats?.peakRssMb ?? NaN, 1),
      cpuSeconds: round(cpu?.total ?? NaN),
      cpuSecondsPerRun: round((cpu?.total ?? NaN) / n, 4),
      cpuPerRun: {
        workflowThread: round((cpu?.workflowThread ?? NaN) / n, 4),
        mainThread: round((cpu?.mainThread ?? NaN) / n, 4),
        others: Object.fromEntries(
          Object.entries(cpu?.others ?? {})
            .sort(([, a], [, b]) => b - a)
            .map(([name, seconds]) => [name, round(seconds / n, 4)]),
        ),
      },
      workflowThreads: worker.threads().filter((t) => t.kind === 'workflow').length,
    },
    profile: worker.profileDir
      ? summarizeProfiles({
          dir: worker.profileDir,
          tags: worker.threads(),
          bundles,
          fromUs,
          toUs,
          runs: n,
          cpuMsPerRun: cpu && {
            main: (cpu.mainThread / n) * 1000,
            workflow: (cpu.workflowThread / n) * 1000,
          },
        })
      : undefined,
  };
}

/** One engine: a baseline run, the enrollments (their cost to the engine measured), decisions, a baseline run again. */
async function benchEngine(infra: Infra): Promise<EngineRun> {
  const { client, simulator, run, taskQueue, dir, keys } = infra;
  const profile = options.profile ? path.join(PROFILE_DIR, infra.engineName) : undefined;
  const enrollmentBundle = path.resolve('dist/workflow-bundle.js');
  const baselineBundle = path.join(dir, 'baseline-bundle.js');
  fs.writeFileSync(baselineBundle, await bundleWorkflows(require.resolve('./baseline-workflow')));
  const baselineQueue = `${taskQueue}-baseline`;
  const startBaselineWorker = (label: string, profiled: boolean) =>
    startChildWorker(
      [require.resolve('./baseline-worker'), baselineQueue, baselineBundle, keys, 'bench'],
      { ...process.env, ...infra.temporalEnv },
      // The enrollment worker's young generation (V8 flags are the whole process's): on Node 24 it
      // otherwise grows to 128 MB a thread and the two workers' memory does not compare.
      { dir, label, profile: profiled ? profile : undefined, nodeArgs: [SEMI_SPACE_FLAG] },
    );
  const baselinePhase = async (pass: 1 | 2) =>
    phase(
      `${infra.engineName} baseline (${pass})`,
      await startBaselineWorker(`baseline-${pass}`, true),
      (i) => runBaseline(client, baselineQueue, `${run}${pass}`, i),
      [baselineBundle],
    );

  const baseline1 = await baselinePhase(1);
  const enrollmentWorker = await infra.startEnrollmentWorker({ label: 'enrollments', profile });
  const { result: enrollments, work } = await measured(infra, () =>
    phase(
      `${infra.engineName} enrollments`,
      enrollmentWorker,
      (i) => runEnrollment(client, taskQueue, simulator, run, i),
      [enrollmentBundle],
    ),
  );
  // Both workers up, each with its own workflows cached; the decisions alternate between them.
  const decisionWorker = await infra.startEnrollmentWorker({ label: 'decisions' });
  const floorWorker = await startBaselineWorker('floor', false);
  process.stderr.write(`decisions one at a time (${DECISIONS} of each parked first)…\n`);
  const decisions = await decisionsInTurn(
    client,
    { enrollment: taskQueue, baseline: baselineQueue },
    run,
    DECISIONS,
    N,
  );
  await Promise.all([decisionWorker.stop(), floorWorker.stop()]);
  const baseline2 = await baselinePhase(2);
  const replayed = await replayedRuns(infra, [
    { workflowId: enrollments.runs[0]?.workflowId, bundle: enrollmentBundle },
    { workflowId: baseline1.runs[0]?.workflowId, bundle: baselineBundle },
  ]);
  return {
    engine: infra.engineName,
    enrollments,
    baselines: [baseline1, baseline2],
    quietDecisions: decisions.enrollment.totalMs,
    floorDecisions: decisions.floor.totalMs,
    quietDecisionUpdates: decisions.enrollment.updateMs,
    floorDecisionUpdates: decisions.floor.updateMs,
    work,
    replayed,
  };
}

/** One run of each workflow replayed REPLAYS times, the enrollment's then the baseline's (replay.ts). */
async function replayedRuns(
  infra: Infra,
  [enrollment, baseline]: { workflowId?: string; bundle: string }[],
): Promise<EngineRun['replayed']> {
  if (!REPLAYS || !enrollment.workflowId || !baseline.workflowId) return undefined;
  process.stderr.write(`replaying one history of each, ${REPLAYS} times…\n`);
  const replay = async ({ workflowId, bundle }: { workflowId?: string; bundle: string }, which: string) =>
    replayCost({
      historyFile: await saveHistory(infra.client, workflowId!, path.join(infra.dir, `${workflowId}.json`)),
      bundle,
      replays: REPLAYS,
      keys: infra.keys,
      profile: options.profile ? path.join(PROFILE_DIR, infra.engineName, `replay-${which}`) : undefined,
    });
  return { enrollment: await replay(enrollment, 'enrollment'), baseline: await replay(baseline, 'baseline') };
}

async function main(): Promise<void> {
  if (options.scale) {
    await withInfra(ENGINES[0], (infra) =>
      runScale(infra, { k: Number(options.k), concurrency: CONCURRENCY }),
    );
    return;
  }
  const all = [];
  for (const engine of ENGINES)
    all.push(engineFigures(await withInfra(engine, benchEngine, { historyShards: SHARDS })));
  const lines = all.flatMap((figures) => [
    ...engineLines(figures, CONCURRENCY),
    ...(figures.enrollments.profile
      ? profileLines('the enrollment worker', figures.enrollments.profile)
      : []),
    ...(figures.baseline.profiles[0]
      ? profileLines('the baseline (1) worker', figures.baseline.profiles[0])
      : []),
    ...(['enrollment', 'baseline'] as const).flatMap((which) => {
      const summary = figures.replayed?.[which].profile;
      // The replay runs the workflow code on the child's main thread: its "workflow thread" below.
      return summary ? profileLines(`the ${which}'s history, replayed`, summary) : [];
    }),
  ]);
  if (all.length > 1) lines.push('--- side by side', ...comparisonTable(all));
  const host = machine();
  const { node, workersNode } = host;
  if (workersNode !== node) lines.unshift(`workers on node ${workersNode} (--node), the bench on ${node}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const out = path.resolve('test-artifacts/bench-results.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const results = {
    date: new Date().toISOString(),
    machine: host,
    settings: {
      n: N,
      concurrency: CONCURRENCY,
      durationS: DURATION_S ?? null,
      historyShards: SHARDS ?? 8,
      profile: options.profile,
    },
    engines: Object.fromEntries(all.map((figures) => [figures.engine, figures])),
  };
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`written to ${path.relative(process.cwd(), out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
