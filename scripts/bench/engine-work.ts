/**
 * What a bench phase cost the engine itself: the Temporal server's CPU and, on the production
 * engine, PostgreSQL's CPU and statistics (postgres-stats.ts) and the server's action counter
 * (server-actions.ts), each taken before and after the phase; and, before it, the engine's load
 * at rest, the background every figure includes.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Infra } from './infra';
import { processStats, processTreeCpuSeconds } from './process-stats';
import { postgresSnapshot, postgresWork, type PostgresWork } from './postgres-stats';
import { actionsBetween, serverActions, type ActionCounts } from './server-actions';
import { round } from './stats';

/**
 * PostgreSQL 15 backends publish their statistics at least every 10 s when idle: a quiet spell
 * this long before and after a phase puts its work on the right side of both readings.
 */
const STATS_SETTLE_MS = 11_000;
const IDLE_MS = 20_000;

export interface EngineWork {
  seconds: number;
  serverCpuSeconds: number;
  /** The Temporal server's peak resident memory so far (VmHWM). */
  serverPeakRssMb: number;
  postgres?: { cpuSeconds: number; work: PostgresWork };
  actions?: ActionCounts;
  /** Per second with nothing running: the server's CPU and PostgreSQL's commits and WAL. */
  idle: { serverCpuPerSecond: number; postgresCommitsPerSecond?: number; walBytesPerSecond?: number };
}

function reading(infra: Infra) {
  const pgPid = infra.production?.engine.postgres.pid();
  const serverPid = infra.serverPid();
  return {
    serverCpu: serverPid ? (processStats(serverPid)?.cpuSeconds ?? NaN) : NaN,
    serverPeakRssMb: serverPid ? (processStats(serverPid)?.peakRssMb ?? NaN) : NaN,
    postgresCpu: pgPid ? processTreeCpuSeconds(pgPid) : NaN,
    postgres: infra.production ? postgresSnapshot(infra.production.engine.postgres) : undefined,
    at: Date.now(),
  };
}

const actionsNow = (infra: Infra) =>
  infra.production
    ? serverActions(infra.production.metricsUrl, infra.production.engine.namespace)
    : Promise.resolve(undefined);

export async function measured<T>(
  infra: Infra,
  run: () => Promise<T>,
): Promise<{ result: T; work: EngineWork }> {
  // The engine at rest first (as started: a namespace, no workflows), the background of all below.
  if (infra.production) await delay(STATS_SETTLE_MS);
  const rest = reading(infra);
  await delay(IDLE_MS);
  const before = reading(infra);
  const idleSeconds = (before.at - rest.at) / 1000;
  const idleWork =
    rest.postgres && before.postgres ? postgresWork(rest.postgres, before.postgres) : undefined;

  const actionsBefore = await actionsNow(infra);
  const result = await run();
  if (infra.production) await delay(STATS_SETTLE_MS);
  const after = reading(infra);
  const actionsAfter = await actionsNow(infra);

  return {
    result,
    work: {
      seconds: (after.at - before.at) / 1000,
      serverCpuSeconds: round(after.serverCpu - before.serverCpu),
      serverPeakRssMb: round(after.serverPeakRssMb, 1),
      postgres:
        before.postgres && after.postgres
          ? {
              cpuSeconds: round(after.postgresCpu - before.postgresCpu),
              work: postgresWork(before.postgres, after.postgres),
            }
          : undefined,
      actions: actionsBefore && actionsAfter ? actionsBetween(actionsBefore, actionsAfter) : undefined,
      idle: {
        serverCpuPerSecond: round((before.serverCpu - rest.serverCpu) / idleSeconds, 3),
        postgresCommitsPerSecond: idleWork
          ? round(
              (idleWork.perDatabase.temporal.commits + idleWork.perDatabase.temporal_visibility.commits) /
                idleSeconds,
              1,
            )
          : undefined,
        walBytesPerSecond: idleWork ? round(idleWork.wal.bytes / idleSeconds, 0) : undefined,
      },
    },
  };
}
