/**
 * The bench's figures for one engine (against the targets, OK or MISSED), what an enrollment cost
 * that engine (docs/capacity.md's inputs), and the engines side by side when both ran.
 */
import type { ClientCalls, RunFigures } from './drive';
import type { EngineWork } from './engine-work';
import type { EngineName } from './infra';
import type { ProfileSummary } from './profile';
import type { Replayed } from './replay';
import { percentile, round } from './stats';

export interface WorkerFigures {
  startMs: number;
  peakRssMb: number;
  /** Over the phase, from its first run to its last (start-up left out). */
  cpuSeconds: number;
  cpuSecondsPerRun: number;
  /** Per run, by thread (threads.ts): the workflow thread(s), the main thread, the others by name. */
  cpuPerRun: { workflowThread: number; mainThread: number; others: Record<string, number> };
  workflowThreads: number;
}

export interface Phase {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  runs: RunFigures[];
  /** Mean client calls per run, by kind. */
  calls: ClientCalls;
  worker: WorkerFigures;
  profile?: ProfileSummary;
}

export interface EngineRun {
  engine: EngineName;
  enrollments: Phase;
  /** Before and after the enrollments: their ratio is the bench's noise. */
  baselines: [Phase, Phase];
  quietDecisions: number[];
  floorDecisions: number[];
  /** Of each decision above, the time until its update answered (the rest: reads until visible). */
  quietDecisionUpdates: number[];
  floorDecisionUpdates: number[];
  /** What the enrollments phase cost the engine. */
  work: EngineWork;
  /** One history of each replayed many times: the workflow code's CPU per run, low noise. */
  replayed?: { enrollment: Replayed; baseline: Replayed };
}

/** The p50 of each part of timed steps: the update, and the reads after it. */
const split = (totals: number[], updates: number[]) => ({
  updateP50: percentile(updates, 50),
  readP50: percentile(
    totals.map((total, i) => total - updates[i]!),
    50,
  ),
});

const spread = (values: number[]) => ({
  count: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
});
const mean = (values: number[]) => round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length), 1);

/** Per completed enrollment, from its history and from the engine's own counters. */
function perEnrollment(run: EngineRun) {
  const { enrollments, work } = run;
  const n = Math.max(1, enrollments.completed);
  const histories = enrollments.runs.flatMap((r) => (r.history ? [r.history] : []));
  const historyActions = histories.map((h) => Object.values(h.actions).reduce((a, b) => a + b, 0));
  const actionKinds = [...new Set(histories.flatMap((h) => Object.keys(h.actions)))];
  // The settle spell after the phase is the engine's background, not the enrollments'.
  const backgroundSeconds = Math.max(0, work.seconds - enrollments.seconds);
  const serverCpu = work.serverCpuSeconds - work.idle.serverCpuPerSecond * backgroundSeconds;
  const pg = work.postgres?.work;
  const both = pg && [pg.perDatabase.temporal, pg.perDatabase.temporal_visibility];
  const sum = (pick: (d: NonNullable<typeof both>[number]) => number) =>
    both ? round(both.reduce((total, d) => total + pick(d), 0) / n, 1) : undefined;
  const serverActions = work.actions
    ? Object.fromEntries(Object.entries(work.actions).map(([type, count]) => [type, round(count / n, 2)]))
    : undefined;
  return {
    historyEvents: mean(histories.map((h) => h.events)),
    stateTransitions: mean(histories.map((h) => h.stateTransitions)),
    historyBytes: mean(histories.map((h) => h.historyBytes)),
    payloadBytes: mean(histories.map((h) => h.payloadBytes)),
    actionsInHistory: {
      total: mean(historyActions),
      byKind: Object.fromEntries(
        actionKinds.map((kind) => [kind, mean(histories.map((h) => h.actions[kind] ?? 0))]),
      ),
    },
    /** The server's `action` counter (production engine): includes the bench's status polling. */
    actionsCountedByServer: serverActions && {
      total: round(
        Object.values(serverActions).reduce((a, b) => a + b, 0),
        1,
      ),
      byType: serverActions,
    },
    serverCpuSeconds: round(serverCpu / n, 4),
    serverPeakRssMb: work.serverPeakRssMb,
    postgres: pg && {
      cpuSeconds: round((work.postgres!.cpuSeconds ?? NaN) / n, 4),
      commits: sum((d) => d.commits),
      rowsWritten: sum((d) => d.rowsInserted + d.rowsUpdated + d.rowsDeleted),
      rowsInserted: sum((d) => d.rowsInserted),
      rowsUpdated: sum((d) => d.rowsUpdated),
      rowsDeleted: sum((d) => d.rowsDeleted),
      rowsRead: sum((d) => d.rowsReturned),
      rowsFetchedByIndex: sum((d) => d.rowsFetched),
      blocksReadFromDisk: sum((d) => d.blocksRead),
      sizeGrowthBytes: sum((d) => d.sizeGrowthBytes),
      visibilityRowsWritten: round(
        (pg.perDatabase.temporal_visibility.rowsInserted +
          pg.perDatabase.temporal_visibility.rowsUpdated +
          pg.perDatabase.temporal_visibility.rowsDeleted) /
          n,
        1,
      ),
      walBytes: round(pg.wal.bytes / n, 0),
      walRecords: round(pg.wal.records / n, 1),
      walSyncs: round(pg.wal.syncs / n, 1),
      dataPagesWritten: round(pg.buffersWritten / n, 1),
      busiestTables: pg.busiestTables.map(({ table, rowsWritten }) => ({
        table,
        rowsWritten: round(rowsWritten / n, 1),
      })),
    },
  };
}

const totalCalls = (calls: ClientCalls) =>
  round(
    Object.values(calls).reduce((a, b) => a + b, 0),
    2,
  );
const meanOf = (a: number, b: number, digits = 4) => round((a + b) / 2, digits);

export function engineFigures(run: EngineRun) {
  const { enrollments, baselines } = run;
  const [first, second] = baselines;
  const latencies = enrollments.runs.flatMap((r) =>
    r.decisionToVisibleMs === undefined ? [] : [r.decisionToVisibleMs],
  );
  const events = enrollments.runs.map((r) => r.historyEvents);
  const baselineEvents = baselines.flatMap((b) => b.runs.map((r) => r.historyEvents));
  const baselinePerSecond = meanOf(first.perSecond, second.perSecond, 2);
  const baselineWorkflowCpu = meanOf(
    first.worker.cpuPerRun.workflowThread,
    second.worker.cpuPerRun.workflowThread,
  );
  const workerOf = (phase: Phase) => ({
    ...phase.worker,
    calls: phase.calls,
    callsTotal: totalCalls(phase.calls),
  });
  return {
    engine: run.engine,
    enrollments: {
      completed: enrollments.completed,
      failed: enrollments.failed,
      seconds: enrollments.seconds,
      perSecond: enrollments.perSecond,
      /** Under load: measured inside the concurrent runs. */
      decisionToVisibleMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      },
      /** The target's measure: one decision at a time, workflow cached, nothing else running. */
      decisionToVisibleOneAtATimeMs: spread(run.quietDecisions),
      /** Its two parts: the update until it answered, then the reads until the stage showed. */
      decisionSplitOneAtATimeMs: split(run.quietDecisions, run.quietDecisionUpdates),
      historyEvents: { min: Math.min(...events), max: Math.max(...events) },
      calls: enrollments.calls,
      callsTotal: totalCalls(enrollments.calls),
      worker: enrollments.worker,
      profile: enrollments.profile,
    },
    baseline: {
      completed: first.completed + second.completed,
      failed: first.failed + second.failed,
      /** The mean of the two runs. */
      perSecond: baselinePerSecond,
      runs: baselines.map((b) => ({ seconds: b.seconds, perSecond: b.perSecond, completed: b.completed })),
      /** The second run's throughput over the first's: how far two runs of the same thing differ here. */
      noiseRatio: round(second.perSecond / first.perSecond, 3),
      historyEvents: Math.max(...baselineEvents),
      calls: first.calls,
      callsTotal: totalCalls(first.calls),
      /** A decision and one read, one at a time: the engine's floor for decision to visible. */
      updateAndQueryOneAtATimeMs: spread(run.floorDecisions),
      updateAndQuerySplitMs: split(run.floorDecisions, run.floorDecisionUpdates),
      workers: baselines.map(workerOf),
      workflowThreadCpuPerRun: baselineWorkflowCpu,
      cpuPerRun: meanOf(first.worker.cpuSecondsPerRun, second.worker.cpuSecondsPerRun),
      profiles: baselines.flatMap((b) => (b.profile ? [b.profile] : [])),
    },
    throughputRatio: round(enrollments.perSecond / baselinePerSecond),
    workflowThreadCpuRatio: round(enrollments.worker.cpuPerRun.workflowThread / baselineWorkflowCpu),
    replayed: run.replayed && {
      ...run.replayed,
      ratio: round(run.replayed.enrollment.cpuMsPerReplay / run.replayed.baseline.cpuMsPerReplay),
    },
    perEnrollment: perEnrollment(run),
    idle: run.work.idle,
  };
}
export type EngineFigures = ReturnType<typeof engineFigures>;

const target = (name: string, ok: boolean, value: string) => `${ok ? 'OK    ' : 'MISSED'} ${name}: ${value}`;

const ms = (seconds: number) => `${round(seconds * 1000, 1)} ms`;
const cpuLine = (w: WorkerFigures) =>
  `${ms(w.cpuSecondsPerRun)} = workflow thread ${ms(w.cpuPerRun.workflowThread)} + main thread ${ms(w.cpuPerRun.mainThread)}` +
  Object.entries(w.cpuPerRun.others)
    .map(([name, seconds]) => ` + ${name} ${ms(seconds)}`)
    .join('');
const callsLine = (calls: ClientCalls) =>
  `${totalCalls(calls)} (${Object.entries(calls)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ')})`;

export function engineLines(f: EngineFigures, concurrency: number): string[] {
  const e = f.enrollments;
  const b = f.baseline;
  const quiet = e.decisionToVisibleOneAtATimeMs;
  const floor = b.updateAndQueryOneAtATimeMs;
  const p = f.perEnrollment;
  const lines = [
    `--- engine: ${f.engine === 'dev' ? 'dev server (SQLite)' : 'production (PostgreSQL, mutual TLS)'}`,
    `enrollments: ${e.completed} completed (${e.failed} failed) in ${e.seconds} s = ${e.perSecond}/s; ` +
      `baseline ${b.runs.map((r) => `${r.perSecond}/s`).join(' before, ')} after (${b.failed} failed), mean ${b.perSecond}/s`,
    `noise: the baseline's second run over its first ${b.noiseRatio} (a ratio nearer its target than this is to 1 does not tell)`,
    target('throughput >= 0.85 x baseline', f.throughputRatio >= 0.85, `ratio ${f.throughputRatio}`),
    target(
      "workflow-thread CPU per enrollment <= 1.25 x baseline's",
      f.workflowThreadCpuRatio <= 1.25,
      `${ms(e.worker.cpuPerRun.workflowThread)} against ${ms(b.workflowThreadCpuPerRun)}: ${f.workflowThreadCpuRatio} x`,
    ),
    ...(f.replayed
      ? [
          `the workflow code per run, one history of each replayed ${f.replayed.enrollment.replays} times (low noise): ` +
            `${round(f.replayed.enrollment.cpuMsPerReplay, 1)} ms against ${round(f.replayed.baseline.cpuMsPerReplay, 1)} ms: ${f.replayed.ratio} x`,
        ]
      : []),
    target(
      "decision to visible p50 <= 1.1 x the engine's floor (cached, one at a time)",
      quiet.p50 <= 1.1 * floor.p50,
      `p50 ${quiet.p50} ms against the floor's ${floor.p50} ms, p95 ${quiet.p95} ms over ${quiet.count} decisions`,
    ),
    target(
      'decision to visible p99 <= 100 ms (cached, one at a time)',
      quiet.p99 <= 100,
      `p99 ${quiet.p99} ms`,
    ),
    `the engine's floor, the baseline's decision and one read, one at a time: p50 ${floor.p50} ms, p95 ${floor.p95} ms, p99 ${floor.p99} ms`,
    `decision to visible in two parts, p50 of each (one at a time): the update ${e.decisionSplitOneAtATimeMs.updateP50} ms, ` +
      `then the reads ${e.decisionSplitOneAtATimeMs.readP50} ms; the floor's ${b.updateAndQuerySplitMs.updateP50} + ${b.updateAndQuerySplitMs.readP50} ms`,
    `decision to visible under load (inside the ${concurrency} concurrent runs): ` +
      `p50 ${e.decisionToVisibleMs.p50} ms, p95 ${e.decisionToVisibleMs.p95} ms, p99 ${e.decisionToVisibleMs.p99} ms`,
    target(
      'worker start <= 1 s',
      e.worker.startMs <= 1000,
      `${e.worker.startMs} ms (prebuilt bundle${e.profile ? ', under the profiler' : ''}); baseline worker ${b.workers[0].startMs} ms`,
    ),
    target('throughput >= 5 enrollments/s', e.perSecond >= 5, `${e.perSecond}/s`),
    target(
      'history events <= 150 (happy path)',
      e.historyEvents.max <= 150,
      `${e.historyEvents.min}-${e.historyEvents.max} (baseline ${b.historyEvents})`,
    ),
    `client calls per run: enrollment ${callsLine(e.calls)}; baseline ${callsLine(b.calls)}`,
    `worker CPU per enrollment: ${cpuLine(e.worker)}`,
    ...b.workers.map((w, i) => `baseline worker CPU per run (${i + 1}): ${cpuLine(w)}`),
    `worker peak RSS: ${e.worker.peakRssMb} MB (baseline ${b.workers.map((w) => `${w.peakRssMb} MB`).join(', ')})`,
    `per enrollment: ${p.historyEvents} events, ${p.stateTransitions} state transitions, history ${p.historyBytes} B ` +
      `(payloads ${p.payloadBytes} B), ${p.actionsInHistory.total} actions in its history; Temporal server CPU ${p.serverCpuSeconds} s ` +
      `(server peak RSS ${p.serverPeakRssMb} MB)`,
  ];
  if (p.postgres) {
    const pg = p.postgres;
    lines.push(
      `per enrollment in PostgreSQL: ${pg.commits} commits, rows written ${pg.rowsWritten} (visibility ${pg.visibilityRowsWritten}), ` +
        `rows read ${pg.rowsRead}, WAL ${pg.walBytes} B in ${pg.walSyncs} syncs, data pages written ${pg.dataPagesWritten}, ` +
        `size +${pg.sizeGrowthBytes} B, CPU ${pg.cpuSeconds} s`,
      `busiest tables (rows written per enrollment): ${pg.busiestTables.map((t) => `${t.table} ${t.rowsWritten}`).join(', ')}`,
    );
  }
  if (p.actionsCountedByServer)
    lines.push(
      `actions counted by the server per enrollment: ${p.actionsCountedByServer.total} (` +
        Object.entries(p.actionsCountedByServer.byType)
          .map(([type, n]) => `${type} ${n}`)
          .join(', ') +
        ')',
    );
  lines.push(
    `engine at rest (before the phase): server CPU ${f.idle.serverCpuPerSecond} s/s` +
      (f.idle.postgresCommitsPerSecond !== undefined
        ? `, PostgreSQL ${f.idle.postgresCommitsPerSecond} commits/s, WAL ${f.idle.walBytesPerSecond} B/s`
        : ''),
  );
  return lines;
}

/** Markdown rows, one column per engine, for BENCHMARKS.md. */
export function comparisonTable(all: EngineFigures[]): string[] {
  const row = (name: string, pick: (f: EngineFigures) => string | number) =>
    `| ${name} | ${all.map((f) => String(pick(f))).join(' | ')} |`;
  return [
    `| Figure | ${all.map((f) => (f.engine === 'dev' ? 'Dev server (SQLite)' : 'Production (PostgreSQL, mTLS)')).join(' | ')} |`,
    `| --- | ${all.map(() => '---').join(' | ')} |`,
    row('Completed', (f) => `${f.enrollments.completed} / ${f.enrollments.completed + f.enrollments.failed}`),
    row('Throughput, enrollments', (f) => `${f.enrollments.perSecond} /s`),
    row('Throughput, baseline (mean of two runs)', (f) => `${f.baseline.perSecond} /s`),
    row('Ratio to baseline', (f) => f.throughputRatio),
    row('Noise: baseline run 2 / run 1', (f) => f.baseline.noiseRatio),
    row('Decision → visible, one at a time: p50 / p95 / p99', (f) => {
      const q = f.enrollments.decisionToVisibleOneAtATimeMs;
      return `${q.p50} / ${q.p95} / ${q.p99} ms`;
    }),
    row('Engine floor (baseline decision + read): p50 / p99', (f) => {
      const q = f.baseline.updateAndQueryOneAtATimeMs;
      return `${q.p50} / ${q.p99} ms`;
    }),
    row('Decision → visible under load: p50 / p95 / p99', (f) => {
      const q = f.enrollments.decisionToVisibleMs;
      return `${q.p50} / ${q.p95} / ${q.p99} ms`;
    }),
    row('Worker start', (f) => `${f.enrollments.worker.startMs} ms`),
    row(
      'History events (happy path)',
      (f) => `${f.enrollments.historyEvents.min}-${f.enrollments.historyEvents.max}`,
    ),
    row(
      'Worker peak RSS / CPU per enrollment',
      (f) => `${f.enrollments.worker.peakRssMb} MB / ${f.enrollments.worker.cpuSecondsPerRun} s`,
    ),
    row(
      'Workflow-thread CPU per run: enrollment / baseline',
      (f) =>
        `${ms(f.enrollments.worker.cpuPerRun.workflowThread)} / ${ms(f.baseline.workflowThreadCpuPerRun)}`,
    ),
    row(
      'Client calls per run: enrollment / baseline',
      (f) => `${f.enrollments.callsTotal} / ${f.baseline.callsTotal}`,
    ),
    row(
      'Temporal server CPU per enrollment / peak RSS',
      (f) => `${f.perEnrollment.serverCpuSeconds} s / ${f.perEnrollment.serverPeakRssMb} MB`,
    ),
    row('PostgreSQL CPU per enrollment', (f) =>
      f.perEnrollment.postgres ? `${f.perEnrollment.postgres.cpuSeconds} s` : '—',
    ),
    row('Server CPU at rest', (f) => `${f.idle.serverCpuPerSecond} s/s`),
  ];
}
