/**
 * Heap per cached enrollment, as BENCHMARKS.md measures it: a worker process in debug mode
 * (workflows in its main isolate, so one heap holds them all) with nothing else in it, N
 * enrollments parked in review and kept in its cache, its heap after a full GC before and after,
 * divided by N. With `--snapshot`, heap snapshots of the worker before and after, their difference
 * summed by constructor: what each cached enrollment holds.
 *
 *   npm run build && node dist/scripts/bench/heap.js [--n 150] [--snapshot] [--keep <dir>]
 */
import { NativeConnection } from '@temporalio/worker';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { createActivities } from '../../src/activities';
import { keyRingFrom } from '../../src/codec/from-config';
import { loadConfig } from '../../src/config';
import { startDevMailbox } from '../../src/stand-ins/mailbox/mailbox';
import { createEnrollmentWorker } from '../../src/worker/create-worker';
import { createDependencies } from '../../src/worker/dependencies';
import { parkInReview } from './drive';
import { withInfra } from './infra';
import { workerNode } from './processes';
import { progress } from './progress';
import { pool, round } from './stats';

const options = parseArgs({
  options: {
    n: { type: 'string', default: '150' },
    concurrency: { type: 'string', default: '10' },
    snapshot: { type: 'boolean', default: false },
    /** Where to keep the snapshots (else they go with the run's temp dir). */
    keep: { type: 'string' },
    child: { type: 'boolean', default: false },
  },
}).values;
const N = Number(options.n);

interface Measure {
  snapshot?: string;
}
interface Measured {
  heapBytes: number;
  snapshot?: string;
}

/** The worker process: serves the task queue and measures its heap when asked. */
async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const config = loadConfig();
  const dependencies = createDependencies(config);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await createEnrollmentWorker({
    connection,
    namespace: 'default',
    taskQueue: config.CSP_TASK_QUEUE,
    activities: createActivities(dependencies),
    workflowBundlePath: path.resolve(config.CSP_WORKFLOW_BUNDLE),
    keyRing: keyRingFrom(config),
    overrides: { debugMode: true, maxCachedWorkflows: N + 50 },
  });
  process.on('message', (message: Measure | 'stop') => {
    if (message === 'stop') return worker.shutdown();
    void (async () => {
      // Several passes: weak references and finalizers free more on each.
      for (let i = 0; i < 4; i++) {
        gc();
        await delay(200);
      }
      const heapBytes = v8.getHeapStatistics().used_heap_size;
      const snapshot = message.snapshot ? v8.writeHeapSnapshot(message.snapshot) : undefined;
      process.send!({ heapBytes, snapshot } satisfies Measured);
    })();
  });
  const running = worker.run();
  process.send!('ready');
  await running;
  dependencies.mail.close();
  await connection.close();
  process.disconnect();
}

/** Self size and count by constructor name (objects, closures), or by kind (arrays, strings, code…). */
function snapshotByName(file: string): Map<string, { count: number; bytes: number }> {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byName = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]];
    const key =
      type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[i + nameAt]] : `(${type})`;
    const entry = byName.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snapshot.nodes[i + sizeAt];
    byName.set(key, entry);
  }
  return byName;
}

async function parent(): Promise<void> {
  await withInfra('dev', async (infra) => {
    // A mailbox of our own, whose port the worker is given (emails delivered, none retried).
    const mailbox = await startDevMailbox({ host: '127.0.0.1', port: 0 });
    const worker: ChildProcess = fork(__filename, ['--child', '--n', String(N)], {
      execArgv: ['--expose-gc'],
      execPath: workerNode(),
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...process.env,
        ...infra.temporalEnv,
        CSP_TASK_QUEUE: infra.taskQueue,
        CSP_DATA_DIR: path.join(infra.dir, 'data'),
        CSP_WORKFLOW_BUNDLE: path.resolve('dist/workflow-bundle.js'),
        CSP_PAYLOAD_KEYS: infra.keys,
        CSP_PARTNER_CENTER_URL: infra.simulator.url,
        CSP_CREDIT_BUREAU_URL: infra.simulator.url,
        CSP_SMS_GATEWAY_URL: infra.simulator.url,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(mailbox.smtpPort),
      },
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await new Promise((resolve) => worker.once('message', resolve));
    const measure = (request: Measure) =>
      new Promise<Measured>((resolve) => {
        worker.once('message', resolve);
        worker.send(request);
      });
    try {
      const snapshots = options.keep ?? fs.mkdtempSync(path.join(infra.dir, 'heap-'));
      fs.mkdirSync(snapshots, { recursive: true });
      const file = (name: string) => (options.snapshot ? path.resolve(snapshots, name) : undefined);
      const before = await measure({ snapshot: file('before.heapsnapshot') });

      const bar = progress('parking in review', N);
      let failed = 0;
      await pool(N, Number(options.concurrency), async (i) => {
        await parkInReview(infra.client, infra.taskQueue, infra.run, i).catch((error: unknown) => {
          failed += 1;
          process.stderr.write(`\n#${i}: ${String(error)}\n`);
        });
        bar.tick();
      });
      bar.done();
      // Their activities and emails finish; the cache then holds N idle enrollments.
      await delay(3000);
      const after = await measure({ snapshot: file('after.heapsnapshot') });
      const parked = N - failed;
      const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
      process.stdout.write(
        `worker heap after GC: ${mb(before.heapBytes)} MB idle, ${mb(after.heapBytes)} MB with ${parked} cached: ` +
          `${round((after.heapBytes - before.heapBytes) / parked / 2 ** 20, 3)} MB per cached enrollment\n`,
      );
      if (before.snapshot && after.snapshot) {
        const [b, a] = [snapshotByName(before.snapshot), snapshotByName(after.snapshot)];
        const rows = [...a.entries()]
          .map(([name, { count, bytes }]) => ({
            name,
            count: (count - (b.get(name)?.count ?? 0)) / parked,
            kb: (bytes - (b.get(name)?.bytes ?? 0)) / parked / 1024,
          }))
          .sort((x, y) => y.kb - x.kb);
        const total = rows.reduce((s, r) => s + r.kb, 0);
        // Array buffers' backing stores are outside the JS heap (fetch's WASM memory grows once, say).
        const native = rows.find((r) => r.name === '(native)')?.kb ?? 0;
        process.stdout.write(
          `heap snapshot difference: ${round(total / 1024, 3)} MB per cached enrollment, ` +
            `${round((total - native) / 1024, 3)} MB without native buffers; largest:\n`,
        );
        for (const r of rows.slice(0, 20))
          process.stdout.write(
            `  ${r.name.slice(0, 40).padEnd(40)} ${String(round(r.kb, 1)).padStart(7)} KB ${String(round(r.count, 1)).padStart(7)} objects\n`,
          );
        // zod's schemas are instances of `_` (its $constructor), its classes `Definition`.
        const zod = ['_', 'Definition'].map((name) =>
          round(rows.find((r) => r.name === name)?.count ?? 0, 1),
        );
        process.stdout.write(`  zod schema instances ${zod[0]}, zod classes ${zod[1]} per enrollment\n`);
      }
    } finally {
      worker.send('stop');
      await exited;
      await mailbox.close();
    }
  });
}

(options.child ? child() : parent()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
