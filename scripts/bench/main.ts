/**
 * `npm run bench`: enrollments end to end on a dev server of its own (SQLite in a temp dir), the
 * simulator without latency, the dev mailbox and one worker process; then the same on a bare
 * baseline workflow of the same shape. Prints the figures against the targets and writes them to
 * test-artifacts/bench-results.json.
 *
 *   node dist/scripts/bench/main.js [--n 100] [--concurrency 10] [--duration <s>] [--decisions 30]
 *   node dist/scripts/bench/main.js --scale [--k 10000] [--concurrency 20]   (see scale.ts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflows } from '../../src/worker/bundle';
import {
  baselineDecisionsOneAtATime,
  decisionsOneAtATime,
  runBaseline,
  runEnrollment,
  type RunFigures,
} from './drive';
import { machine, withInfra } from './infra';
import { processStats } from './process-stats';
import { startChildWorker } from './processes';
import { progress } from './progress';
import { runScale } from './scale';
import { percentile, pool, round } from './stats';

const options = parseArgs({
  options: {
    n: { type: 'string', default: '100' },
    concurrency: { type: 'string' },
    duration: { type: 'string' },
    scale: { type: 'boolean', default: false },
    k: { type: 'string', default: '10000' },
    decisions: { type: 'string', default: '30' },
  },
}).values;
const N = Number(options.n);
const CONCURRENCY = Number(options.concurrency ?? (options.scale ? 20 : 10));
const DURATION_S = options.duration ? Number(options.duration) : undefined;
const DECISIONS = Number(options.decisions);

interface Phase {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  runs: RunFigures[];
  worker: { startMs: number; peakRssMb: number; cpuSeconds: number; cpuSecondsPerRun: number };
}

/** Runs `one` N times (or for DURATION_S) with CONCURRENCY lanes while one worker process serves. */
async function phase(
  label: string,
  worker: Awaited<ReturnType<typeof startChildWorker>>,
  one: (i: number) => Promise<RunFigures>,
): Promise<Phase> {
  const runs: RunFigures[] = [];
  let failed = 0;
  const bar = progress(label, N);
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
  const stats = processStats(worker.child.pid!);
  await worker.stop();
  return {
    completed: runs.length,
    failed,
    seconds: round(seconds),
    perSecond: round(runs.length / seconds),
    runs,
    worker: {
      startMs: worker.startMs,
      peakRssMb: round(stats?.peakRssMb ?? NaN, 1),
      cpuSeconds: round(stats?.cpuSeconds ?? NaN),
      cpuSecondsPerRun: round((stats?.cpuSeconds ?? NaN) / Math.max(1, runs.length), 4),
    },
  };
}

async function main(): Promise<void> {
  if (options.scale) {
    await withInfra((infra) => runScale(infra, { k: Number(options.k), concurrency: CONCURRENCY }));
    return;
  }
  const { enrollments, baseline, quietDecisions, floorDecisions } = await withInfra(async (infra) => {
    const { client, simulator, run, taskQueue, dir, keys } = infra;
    const enrollmentWorker = await infra.startEnrollmentWorker();
    const enrollments = await phase('enrollments', enrollmentWorker, (i) =>
      runEnrollment(client, taskQueue, simulator, run, i),
    );
    const decisionWorker = await infra.startEnrollmentWorker();
    process.stderr.write(`decisions one at a time (${DECISIONS} parked in review first)…\n`);
    const quietDecisions = await decisionsOneAtATime(client, taskQueue, run, DECISIONS, N);
    await decisionWorker.stop();

    const baselineBundle = path.join(dir, 'baseline-bundle.js');
    fs.writeFileSync(baselineBundle, await bundleWorkflows(require.resolve('./baseline-workflow')));
    const baselineWorkerArgs = [
      require.resolve('./baseline-worker'),
      infra.address,
      `${taskQueue}-baseline`,
      baselineBundle,
      keys,
      'bench',
    ];
    const baselineWorker = await startChildWorker(baselineWorkerArgs, process.env);
    const baseline = await phase('baseline   ', baselineWorker, (i) =>
      runBaseline(client, `${taskQueue}-baseline`, run, i),
    );
    const floorWorker = await startChildWorker(baselineWorkerArgs, process.env);
    const floorDecisions = await baselineDecisionsOneAtATime(client, `${taskQueue}-baseline`, run, DECISIONS);
    await floorWorker.stop();
    return { enrollments, baseline, quietDecisions, floorDecisions };
  });
  report(enrollments, baseline, quietDecisions, floorDecisions);
}

function report(
  enrollments: Phase,
  baseline: Phase,
  quietDecisions: number[],
  floorDecisions: number[],
): void {
  const latencies = enrollments.runs.flatMap((r) =>
    r.decisionToVisibleMs === undefined ? [] : [r.decisionToVisibleMs],
  );
  const spread = (values: number[]) => ({
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
  });
  const quiet = spread(quietDecisions);
  const floor = spread(floorDecisions);
  const events = enrollments.runs.map((r) => r.historyEvents);
  const ratio = round(enrollments.perSecond / baseline.perSecond);
  const figures = {
    date: new Date().toISOString(),
    machine: machine(),
    settings: { n: N, concurrency: CONCURRENCY, durationS: DURATION_S ?? null },
    enrollments: {
      completed: enrollments.completed,
      failed: enrollments.failed,
      seconds: enrollments.seconds,
      perSecond: enrollments.perSecond,
      /** Under load: measured inside the concurrent runs above. */
      decisionToVisibleMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      },
      /** The target's measure: one decision at a time, workflow cached, nothing else running. */
      decisionToVisibleOneAtATimeMs: quiet,
      historyEvents: { min: Math.min(...events), max: Math.max(...events) },
      worker: enrollments.worker,
    },
    baseline: {
      completed: baseline.completed,
      failed: baseline.failed,
      seconds: baseline.seconds,
      perSecond: baseline.perSecond,
      historyEvents: Math.max(...baseline.runs.map((r) => r.historyEvents)),
      /** A bare update and one query, one at a time: the engine's floor for decision to visible. */
      updateAndQueryOneAtATimeMs: floor,
      worker: baseline.worker,
    },
    throughputRatio: ratio,
  };
  const e = figures.enrollments;
  const target = (name: string, ok: boolean, value: string) =>
    `${ok ? 'OK    ' : 'MISSED'} ${name}: ${value}`;
  const lines = [
    `enrollments: ${e.completed} completed (${e.failed} failed) in ${e.seconds} s = ${e.perSecond}/s; baseline ${baseline.perSecond}/s`,
    target('throughput >= 0.85 x baseline', ratio >= 0.85, `ratio ${ratio}`),
    target('throughput >= 5 enrollments/s', e.perSecond >= 5, `${e.perSecond}/s`),
    target(
      'decision to visible p50 <= 30 ms (cached, one at a time)',
      quiet.p50 <= 30,
      `p50 ${quiet.p50} ms, p95 ${quiet.p95} ms over ${quiet.count} decisions`,
    ),
    target(
      'decision to visible p99 <= 250 ms (cached, one at a time)',
      quiet.p99 <= 250,
      `p99 ${quiet.p99} ms`,
    ),
    `the engine's floor, a bare update and query on the baseline one at a time: p50 ${floor.p50} ms, p95 ${floor.p95} ms, p99 ${floor.p99} ms`,
    `decision to visible under load (inside the ${CONCURRENCY} concurrent runs): ` +
      `p50 ${e.decisionToVisibleMs.p50} ms, p95 ${e.decisionToVisibleMs.p95} ms, p99 ${e.decisionToVisibleMs.p99} ms`,
    target('worker start <= 2 s', e.worker.startMs <= 2000, `${e.worker.startMs} ms (prebuilt bundle)`),
    target(
      'history events <= 150 (happy path)',
      e.historyEvents.max <= 150,
      `${e.historyEvents.min}-${e.historyEvents.max} (baseline ${figures.baseline.historyEvents})`,
    ),
    `worker: peak RSS ${e.worker.peakRssMb} MB, CPU ${e.worker.cpuSeconds} s = ${e.worker.cpuSecondsPerRun} s per enrollment ` +
      `(baseline worker: ${figures.baseline.worker.peakRssMb} MB, ${figures.baseline.worker.cpuSecondsPerRun} s per run)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = path.resolve('test-artifacts/bench-results.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`written to ${path.relative(process.cwd(), out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
