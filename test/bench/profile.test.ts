/**
 * The bench's measuring parts that need no Temporal: profiles summed by function and purpose
 * (scripts/bench/profile.ts), CPU split by thread (threads.ts), and what --profile relies on —
 * that `node --cpu-prof` writes a profile for each worker_thread and the preload tags threads.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeProfiles } from '../../scripts/bench/profile';
import { cpuBetween, readThreadTags } from '../../scripts/bench/threads';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
  scriptId: '0',
});

describe('bench profile summary', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sums self time in the window by function, names bundle modules, splits the main thread by purpose, scales to CPU', () => {
    const bundle = path.join(dir, 'bundle.js');
    fs.writeFileSync(
      bundle,
      [
        'var x;',
        '/***/ "./node_modules/zod/v4/core/schemas.js"',
        'a',
        '/***/ "./dist/src/workflows/enrollment.js"',
        'b',
        '/******/ 	var __webpack_module_cache__ = {};',
        'c',
      ].join('\n'),
    );
    const dist = path.resolve('dist');
    // Main thread: root > activity > nodemailer leaf; root > SDK leaf; root > idle.
    const main = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
        {
          id: 2,
          callFrame: frame('sendNotification', `file://${dist}/src/activities/index.js`),
          children: [3],
        },
        { id: 3, callFrame: frame('encode', '/x/node_modules/nodemailer/lib/qp/index.js') },
        { id: 4, callFrame: frame('handleActivation', '/x/node_modules/@temporalio/worker/lib/worker.js') },
        { id: 5, callFrame: frame('(idle)') },
      ],
      startTime: 1_000_000,
      // Samples at 1,001,000 (outside), then 1,002,000 … each 1 ms apart.
      samples: [3, 3, 3, 4, 5, 3],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    };
    const workflow = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
        { id: 2, callFrame: frame('parse', bundle, 2) },
        { id: 3, callFrame: frame('run', bundle, 4) },
        { id: 4, callFrame: frame('__webpack_require__', bundle, 6) },
      ],
      // The first sample (1,001,000) falls outside the window; the last has no successor: 0 µs.
      startTime: 999_000,
      samples: [2, 2, 3, 4, 4],
      timeDeltas: [2000, 1000, 1000, 1000, 1000],
    };
    fs.writeFileSync(path.join(dir, 'CPU.20261203.120000.42.0.001.cpuprofile'), JSON.stringify(main));
    fs.writeFileSync(path.join(dir, 'CPU.20261203.120000.42.1.002.cpuprofile'), JSON.stringify(workflow));

    const summary = summarizeProfiles({
      dir,
      tags: [
        { tid: 42, threadId: 0, kind: 'main' },
        { tid: 43, threadId: 1, kind: 'workflow' },
      ],
      bundles: [bundle],
      fromUs: 1_001_500,
      toUs: 1_010_000,
      runs: 2,
      cpuMsPerRun: { workflow: 3 },
    });

    const [mainThread, workflowThread] = summary.threads;
    expect(mainThread).toMatchObject({ kind: 'main', scale: 1 });
    // In the window: nodemailer 2 samples (the last has no successor: 0 µs), SDK 1; idle left out.
    expect(mainThread.sampledMsPerRun).toBe(1.5);
    expect(mainThread.top[0]).toMatchObject({
      function: 'encode',
      where: 'nodemailer/lib/qp/index.js',
      msPerRun: 1,
    });
    expect(summary.mainByPurpose).toEqual({ activities: 1, 'SDK (JavaScript side)': 0.5 });
    expect(summary.activityItems).toEqual([{ item: 'nodemailer', msPerRun: 1 }]);

    // Workflow thread: 1.5 ms sampled per run, scaled to the 3 ms of CPU /proc gave it.
    expect(workflowThread).toMatchObject({ kind: 'workflow', sampledMsPerRun: 1.5, scale: 2 });
    expect(workflowThread.top.map((f) => [f.function, f.where, f.msPerRun])).toEqual([
      ['parse', 'bundle: zod/v4/core/schemas.js', 1],
      ['run', 'bundle: src/workflows/enrollment.js', 1],
      ['__webpack_require__', 'bundle: (webpack runtime)', 1],
    ]);
  });

  it('splits CPU between snapshots into the workflow thread, the main thread, the rest by name and threads gone', () => {
    const before = {
      processSeconds: 1,
      threads: new Map([
        [10, { name: 'node', seconds: 0.5 }],
        [11, { name: 'node', seconds: 0.2 }],
        [12, { name: 'tokio-runtime-w', seconds: 0.1 }],
      ]),
    };
    const after = {
      processSeconds: 2,
      threads: new Map([
        [10, { name: 'node', seconds: 0.8 }],
        [11, { name: 'node', seconds: 0.6 }],
        [12, { name: 'tokio-runtime-w', seconds: 0.2 }],
        [13, { name: 'node', seconds: 0.1 }],
      ]),
    };
    const split = cpuBetween(before, after, 10, [
      { tid: 10, threadId: 0, kind: 'main' },
      { tid: 11, threadId: 1, kind: 'workflow' },
    ]);
    expect(split.total).toBeCloseTo(1);
    expect(split.mainThread).toBeCloseTo(0.3);
    expect(split.workflowThread).toBeCloseTo(0.4);
    expect(split.others.node).toBeCloseTo(0.1);
    expect(split.others['tokio-runtime-w']).toBeCloseTo(0.1);
    expect(split.others['(ended)']).toBeCloseTo(0.1);
  });

  it('node --cpu-prof writes one profile per thread, worker_threads included, and the preload tags each thread', () => {
    const threads = path.join(dir, 'threads.jsonl');
    // The compiled preload (the global setup compiles dist/), as the bench's children load it.
    const script = [
      "const { Worker } = require('node:worker_threads');",
      "const w = new Worker('function busyInWorker() { let x = 0; for (let i = 0; i < 3e7; i++) x += i; return x } busyInWorker()', { eval: true });",
      'w.on("exit", () => {});',
    ].join('\n');
    execFileSync(
      process.execPath,
      [
        '--require',
        path.resolve('dist/scripts/bench/thread-tag.js'),
        '--cpu-prof',
        '--cpu-prof-dir',
        dir,
        '-e',
        script,
      ],
      { env: { ...process.env, CSP_BENCH_THREADS: threads } },
    );
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const threadIds = files.map((f) => Number(f.split('.').at(-3))).sort();
    expect(threadIds).toEqual([0, 1]);
    const workerProfile = JSON.parse(
      fs.readFileSync(
        path.join(
          dir,
          files.find((f) => f.split('.').at(-3) === '1')!,
        ),
        'utf8',
      ),
    ) as { nodes: { callFrame: { functionName: string } }[] };
    expect(workerProfile.nodes.some((n) => n.callFrame.functionName === 'busyInWorker')).toBe(true);
    const tags = readThreadTags(threads);
    expect(tags.map((t) => [t.threadId, t.kind]).sort()).toEqual([
      [0, 'main'],
      [1, 'worker'],
    ]);
    expect(new Set(tags.map((t) => t.tid)).size).toBe(2);
  });
});
