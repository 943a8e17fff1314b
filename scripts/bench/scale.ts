/**
 * `npm run bench -- --scale [--k 10000] [--concurrency 20]`: parks K enrollments in the review
 * stage (no phone verification, application submitted through the client), then measures the
 * worker's RSS while they wait, the first page of pending reviews through the HTTP API (GET
 * /reviews, in-process, reviewer token) and through Temporal visibility directly, and the time
 * for one decision (claim + approve over HTTP) to show as the `agreement` stage in the status
 * query, the CLI's first page of `reviews` (the whole command, and beyond node's own start), and
 * status reads through the API (GET /enrollments/{id}) by 10 readers spread over every parked
 * enrollment, almost none of them in the worker's cache.
 * Figures go to stdout and test-artifacts/bench-scale-results.json; progress to stderr.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadApiConfig } from '../../src/api/config';
import { startApi } from '../../src/api/start';
import { FileAuditLog } from '../../src/integrations/audit/file-audit-log';
import { pendingReviewsPage } from '../../src/client/lists';
import { visibilityQuery } from '../../src/client/visibility';
import { parseKeyRing } from '../../src/codec/key-ring';
import { statusQuery } from '../../src/workflows/definitions';
import { parkInReview } from './drive';
import { machine, type Infra } from './infra';
import { processStats } from './process-stats';
import { workerNode } from './processes';
import { progress } from './progress';
import { percentile, pool, round } from './stats';
import { createLogger } from '../../src/process/logger';

const IDLE_S = 5;
const REPEATS = 7;
const PAGE_SIZE = 50;
const RSS_TARGET_MB = 450;
const RSS_TARGET_K = 10_000;
const PAGE_TARGET_MS = 300;
const CLI_PAGE_TARGET_MS = 500;
const READERS = 10;
const READ_SECONDS = 20;
const READS_PER_SECOND_TARGET = 200;
const READ_P99_TARGET_MS = 100;
const CLI = path.resolve('dist/src/cli/main.js');

interface Timings {
  firstMs: number;
  medianMs: number;
  maxMs: number;
  samplesMs: number[];
}

function leastSquaresSlope(points: number[][]): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

async function timed(times: number, once: () => Promise<unknown>): Promise<Timings> {
  const samplesMs: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await once();
    samplesMs.push(round(performance.now() - started, 1));
  }
  return {
    firstMs: samplesMs[0],
    medianMs: percentile(samplesMs, 50),
    maxMs: Math.max(...samplesMs),
    samplesMs,
  };
}

export async function runScale(infra: Infra, options: { k: number; concurrency: number }): Promise<void> {
  const { client, taskQueue, run } = infra;
  const K = options.k;
  const worker = await infra.startEnrollmentWorker();
  const pid = worker.child.pid!;
  try {
    await delay(2000);
    const rssAtStartMb = processStats(pid)?.rssMb ?? NaN;

    // Park K enrollments, sampling the worker's RSS as they accumulate.
    let parked = 0;
    let failed = 0;
    const parkedIds: string[] = [];
    const rssSamples: { parked: number; rssMb: number }[] = [];
    const sampler = setInterval(() => {
      const stats = processStats(pid);
      if (stats) rssSamples.push({ parked, rssMb: round(stats.rssMb, 1) });
    }, 1000);
    const bar = progress('parking in review', K, { eta: true });
    const parkStarted = Date.now();
    await pool(K, options.concurrency, async (i) => {
      try {
        parkedIds.push((await parkInReview(client, taskQueue, run, i)).workflowId);
        parked += 1;
      } catch (error) {
        failed += 1;
        process.stderr.write(
          `\nenrollment #${i}: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
      bar.tick();
    });
    bar.done();
    clearInterval(sampler);
    const parkSeconds = (Date.now() - parkStarted) / 1000;

    process.stderr.write(`idle ${IDLE_S} s…\n`);
    await delay(IDLE_S * 1000);
    const idle = processStats(pid);
    const rssIdleMb = idle?.rssMb ?? NaN;

    // Visibility is eventually consistent: wait until it counts every parked enrollment.
    const query = visibilityQuery({ taskQueue, stage: 'review' });
    const visibleStarted = Date.now();
    let visible = 0;
    while (Date.now() - visibleStarted < 120_000) {
      visible = Number((await client.workflow.count(query)).count);
      if (visible >= parked) break;
      await delay(250);
    }
    const visibilityLagMs = Date.now() - visibleStarted;

    // Temporal visibility directly: what GET /reviews does before it answers, without HTTP.
    let listed = 0;
    const viaVisibility = await timed(REPEATS, async () => {
      const page = await pendingReviewsPage(client, taskQueue, { pageSize: PAGE_SIZE });
      listed = page.items.length;
      return page;
    });

    // The HTTP API in-process, with a reviewer token of our own.
    const token = `bench-reviewer-${randomBytes(12).toString('hex')}`;
    const api = await startApi({
      client,
      taskQueue,
      // The bench's own load is no abuse: limits far above it.
      config: loadApiConfig({
        CSP_API_HOST: '127.0.0.1',
        CSP_API_PORT: '0',
        CSP_API_TOKENS: `${token}=reviewer:bench-reviewer`,
        CSP_API_RATE_LIMIT: '1000000',
      }),
      keyRing: parseKeyRing(infra.keys, 'bench'),
      auditLog: new FileAuditLog(path.join(infra.dir, 'data', 'audit')),
      log: createLogger({ level: 'WARN' }).child({ component: 'api' }),
    });
    try {
      const call = async (method: string, url: string, body?: object) => {
        const response = await fetch(`${api.url}${url}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        const json = (await response.json()) as Record<string, unknown>;
        if (response.status !== 200)
          throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
        return json;
      };
      let firstPage: { enrollmentId: string }[] = [];
      const viaApi = await timed(REPEATS, async () => {
        firstPage = (await call('GET', `/reviews?pageSize=${PAGE_SIZE}`)).items as typeof firstPage;
      });
      if (firstPage.length === 0) throw new Error('GET /reviews returned no pending review');

      // The operators' list of one stage, earliest due first: windowed like the queue. Is the
      // earliest due first at this size? The queue's first page says (a review's due is its stage's).
      let stageFirst: { enrollmentId: string }[] = [];
      const stageList = await timed(REPEATS, async () => {
        stageFirst = (await call('GET', `/enrollments?stage=review&order=due&pageSize=${PAGE_SIZE}`))
          .items as typeof stageFirst;
      });
      const stageListEarliestFirst = stageFirst[0]?.enrollmentId === firstPage[0].enrollmentId;

      // The CLI's first page, as an operator runs it: the whole command (node start, module load,
      // connection) and, apart, an empty command's start, so the listing's own share shows.
      const cliEnv = {
        ...process.env,
        ...infra.temporalEnv,
        CSP_TASK_QUEUE: taskQueue,
        CSP_PAYLOAD_KEYS: infra.keys,
      };
      const cliRun = (args: string[]) =>
        new Promise<void>((resolve, reject) =>
          execFile(workerNode(), [CLI, ...args], { env: cliEnv }, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      const cliReviews = await timed(REPEATS, () =>
        cliRun(['reviews', '--page-size', String(PAGE_SIZE), '--json']),
      );
      const cliStart = await timed(REPEATS, () => cliRun(['reviews', '--help']));
      const cliListingMs = round(Math.max(0, cliReviews.medianMs - cliStart.medianMs), 1);

      // Status reads as applicants and reviewers make them: each of READERS readers reads one
      // parked enrollment after another, picked at random from all of them, for READ_SECONDS.
      const readSamplesMs: number[] = [];
      let readErrors = 0;
      const readsStarted = performance.now();
      const readsEnd = readsStarted + READ_SECONDS * 1000;
      await Promise.all(
        Array.from({ length: READERS }, async () => {
          while (performance.now() < readsEnd) {
            const readId = parkedIds[Math.floor(Math.random() * parkedIds.length)];
            const started = performance.now();
            try {
              const status = await call('GET', `/enrollments/${readId}`);
              if (status.stage !== 'review') throw new Error(`${readId} reads stage ${String(status.stage)}`);
              readSamplesMs.push(performance.now() - started);
            } catch (error) {
              readErrors += 1;
              if (readErrors <= 3)
                process.stderr.write(`read: ${error instanceof Error ? error.message : String(error)}\n`);
            }
          }
        }),
      );
      const readsSeconds = (performance.now() - readsStarted) / 1000;
      const reads = {
        readers: READERS,
        seconds: round(readsSeconds, 1),
        reads: readSamplesMs.length,
        errors: readErrors,
        perSecond: round(readSamplesMs.length / readsSeconds, 1),
        p50Ms: round(percentile(readSamplesMs, 50), 1),
        p99Ms: round(percentile(readSamplesMs, 99), 1),
        maxMs: round(Math.max(...readSamplesMs), 1),
      };

      // One decision on the oldest due: claim and approve over HTTP, then poll the status query.
      const id = firstPage[0].enrollmentId;
      const claimStarted = performance.now();
      await call('POST', `/enrollments/${id}/review/claim`, {});
      const decideStarted = performance.now();
      await call('POST', `/enrollments/${id}/decision`, { decision: 'approve' });
      const decideAnsweredMs = performance.now() - decideStarted;
      const handle = client.workflow.getHandle(id);
      for (const deadline = Date.now() + 60_000; ;) {
        if ((await handle.query(statusQuery)).stage === 'agreement') break;
        if (Date.now() > deadline) throw new Error(`${id} did not reach the agreement stage`);
        await delay(1);
      }
      const done = performance.now();
      const decision = {
        enrollmentId: id,
        claimMs: round(decideStarted - claimStarted, 1),
        decideAnsweredMs: round(decideAnsweredMs, 1),
        decisionToAgreementMs: round(done - decideStarted, 1),
        claimToAgreementMs: round(done - claimStarted, 1),
      };

      const end = processStats(pid);
      const growthKbPer = ((rssIdleMb - rssAtStartMb) * 1024) / Math.max(1, parked);
      // The slope once the first lanes are in flight (start-up costs excluded): least squares.
      const steady = rssSamples.filter((s) => s.parked >= Math.min(options.concurrency, K / 10));
      const slopeKbPer = leastSquaresSlope(steady.map((s) => [s.parked, s.rssMb])) * 1024;
      const figures = {
        date: new Date().toISOString(),
        machine: machine(),
        settings: {
          k: K,
          concurrency: options.concurrency,
          idleSeconds: IDLE_S,
          repeats: REPEATS,
          pageSize: PAGE_SIZE,
        },
        parking: {
          parked,
          failed,
          seconds: round(parkSeconds, 1),
          perSecond: round(parked / parkSeconds),
          msPerEnrollment: round((parkSeconds * 1000) / Math.max(1, parked), 1),
        },
        worker: {
          startMs: worker.startMs,
          rssAtStartMb: round(rssAtStartMb, 1),
          rssIdleMb: round(rssIdleMb, 1),
          peakRssMb: round(end?.peakRssMb ?? NaN, 1),
          rssGrowthKbPerParked: round(growthKbPer, 1),
          rssSlopeKbPerParked: round(slopeKbPer, 1),
          rssExtrapolatedTo10kMb: round(rssAtStartMb + (growthKbPer * RSS_TARGET_K) / 1024, 0),
          cpuSeconds: round(end?.cpuSeconds ?? NaN),
          heaps: worker.heaps(),
          rssSamples,
        },
        visibility: {
          countedInReview: visible,
          lagAfterIdleMs: visibilityLagMs,
          firstPageItems: listed,
          firstPage: viaVisibility,
        },
        cli: { reviewsFirstPage: cliReviews, emptyCommand: cliStart, listingMs: cliListingMs },
        api: {
          firstPage: viaApi,
          stageList: { ...stageList, earliestDueFirst: stageListEarliestFirst },
          statusReads: reads,
        },
        decision,
      };

      const target = (name: string, ok: boolean, value: string) =>
        `${ok ? 'OK    ' : 'MISSED'} ${name}: ${value}`;
      const w = figures.worker;
      const lines = [
        `parked ${parked}/${K} in review (${failed} failed) in ${figures.parking.seconds} s = ${figures.parking.perSecond}/s, ${figures.parking.msPerEnrollment} ms each`,
        target(
          `worker RSS <= ${RSS_TARGET_MB} MB with ${RSS_TARGET_K} parked`,
          Math.max(w.rssIdleMb, w.peakRssMb) <= RSS_TARGET_MB,
          `idle ${w.rssIdleMb} MB, peak ${w.peakRssMb} MB with ${parked} parked` +
            (parked < RSS_TARGET_K
              ? ` (not ${RSS_TARGET_K}: extrapolated ${w.rssExtrapolatedTo10kMb} MB)`
              : ''),
        ),
        `worker RSS: ${w.rssAtStartMb} MB at start, +${w.rssGrowthKbPerParked} KB per parked enrollment ` +
          `(slope while parking: ${w.rssSlopeKbPerParked} KB each)`,
        `worker V8 heaps at their largest (sampled every 2 s): ` +
          Object.entries(w.heaps)
            .map(
              ([thread, h]) =>
                `${thread} thread ${h.usedMb} MB used, ${h.totalMb} MB committed (limit ${h.limitMb} MB)`,
            )
            .join('; '),
        target(
          `first page of pending reviews through the API <= ${PAGE_TARGET_MS} ms`,
          viaApi.maxMs <= PAGE_TARGET_MS,
          `median ${viaApi.medianMs} ms, max ${viaApi.maxMs} ms, first ${viaApi.firstMs} ms (${REPEATS} requests, ${parked} pending)`,
        ),
        `operators' list GET /enrollments?stage=review&order=due: median ${stageList.medianMs} ms, max ${stageList.maxMs} ms; ` +
          `earliest due first: ${stageListEarliestFirst ? 'yes' : 'NO'} (of ${parked} matches)`,
        target(
          `CLI \`reviews\` first page <= ${CLI_PAGE_TARGET_MS} ms (the listing, beyond node's start)`,
          cliListingMs <= CLI_PAGE_TARGET_MS,
          `${cliListingMs} ms: whole command median ${cliReviews.medianMs} ms, of which an empty command's start ${cliStart.medianMs} ms (${parked} pending)`,
        ),
        target(
          `status reads through the API spread over all parked >= ${READS_PER_SECOND_TARGET}/s with ${READERS} readers, p99 <= ${READ_P99_TARGET_MS} ms`,
          reads.errors === 0 &&
            reads.perSecond >= READS_PER_SECOND_TARGET &&
            reads.p99Ms <= READ_P99_TARGET_MS,
          `${reads.perSecond}/s, p50 ${reads.p50Ms} ms, p99 ${reads.p99Ms} ms, max ${reads.maxMs} ms ` +
            `(${reads.reads} reads in ${reads.seconds} s over ${parked} enrollments, ${reads.errors} errors)`,
        ),
        `first page through visibility directly: median ${viaVisibility.medianMs} ms, max ${viaVisibility.maxMs} ms ` +
          `(${listed} items; counts narrow the window, then it is listed and sorted)`,
        `decision on ${id}: claim ${decision.claimMs} ms, approve answered ${decision.decideAnsweredMs} ms, ` +
          `approve -> stage 'agreement' by query ${decision.decisionToAgreementMs} ms (claim -> agreement ${decision.claimToAgreementMs} ms)`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      const out = path.resolve('test-artifacts/bench-scale-results.json');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
      process.stdout.write(`written to ${path.relative(process.cwd(), out)}\n`);
    } finally {
      await api.close();
    }
  } finally {
    await worker.stop();
  }
}
