/**
 * The operators' lists at 2,000 enrollments: `reviews`, `stuck`, `incidents` and `list --order due`
 * of the real `csp-enrollment` binary answer their first page from visibility alone — the dev
 * server's own metrics count not one workflow query or describe while they run. The enrollments
 * are visibility records only (started on a task queue no worker polls, with the search
 * attributes the workflow sets), so a query would hang rather than answer.
 */
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { keyRingSpec } from '../../src/codec/key-ring';
import { ENROLLMENT_WORKFLOW, searchAttributes as sa } from '../../src/workflows/definitions';
import { TEST_KEY_RING } from '../harness/keys';
import { connectDevServer, uniqueTaskQueue, type DevServer } from '../harness/temporal';
import { frontendRequests } from '../harness/frontend-requests';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const N = 2000;
const IN_REVIEW = 1500;
const DAY = 86_400_000;
const now = Date.now();

let temporal: DevServer;
const taskQueue = uniqueTaskQueue('cli-scale');

function attributes(i: number): SearchAttributePair[] {
  const review = i < IN_REVIEW;
  const pairs = [
    { key: sa.stage, value: review ? 'review' : 'phone-verification' },
    { key: sa.company, value: `Scale Test Co. ${i}` },
    { key: sa.stageSince, value: new Date(now - (i % 30) * DAY - i * 1000) },
    { key: sa.dueAt, value: new Date(now + ((i % 40) - 10) * DAY + i * 1000) },
    ...(review ? [{ key: sa.reviewDue, value: new Date(now + ((i * 7919) % 20_000) * 60_000) }] : []),
    ...(i % 97 === 0 ? [{ key: sa.incident, value: 'createPartnerAccount' }] : []),
  ];
  return pairs as SearchAttributePair[];
}

beforeAll(async () => {
  temporal = await connectDevServer();
  const started = Date.now();
  const ids = Array.from({ length: N }, (_, i) => `enrollment-scale-${i}-${randomUUID()}`);
  for (let from = 0; from < N; from += 40)
    await Promise.all(
      ids.slice(from, from + 40).map((workflowId, offset) =>
        temporal.client.workflow.start(ENROLLMENT_WORKFLOW, {
          taskQueue,
          workflowId,
          args: [],
          typedSearchAttributes: new TypedSearchAttributes(attributes(from + offset)),
        }),
      ),
    );
  const everything = `TaskQueue = '${taskQueue}'`;
  while (Number((await temporal.client.workflow.count(everything)).count) < N) await delay(200);
  process.stdout.write(
    `cli scale: ${N} enrollments parked in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}, 300_000);

afterAll(async () => {
  // One batch terminates them all.
  await temporal?.client.workflowService.startBatchOperation({
    namespace: 'default',
    jobId: randomUUID(),
    visibilityQuery: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
    reason: 'test over',
    terminationOperation: {},
  });
  await temporal?.close();
});

async function cli(args: string[]) {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [BIN, ...args, '--json'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      CSP_TASK_QUEUE: taskQueue,
      CSP_PAYLOAD_KEYS: keyRingSpec(TEST_KEY_RING),
    },
    timeout: 30_000,
  });
  return {
    ms: Math.round(performance.now() - started),
    page: JSON.parse(stdout) as { items: Record<string, string>[]; nextPageToken?: string },
  };
}

test(`reviews, stuck, incidents and list answer their first page at ${N} enrollments without asking any workflow`, async () => {
  const queriesBefore = await frontendRequests('QueryWorkflow');
  const describesBefore = await frontendRequests('DescribeWorkflowExecution');

  const reviews = await cli(['reviews', '--page-size', '50']);
  expect(reviews.page.items).toHaveLength(50);
  const dues = reviews.page.items.map((item) => item.reviewDue!);
  expect([...dues].sort()).toEqual(dues);
  expect(reviews.page.nextPageToken).toEqual(expect.any(String));
  const second = await cli(['reviews', '--page-size', '50', '--page-token', reviews.page.nextPageToken!]);
  expect(second.page.items[0]!.reviewDue! >= dues.at(-1)!).toBe(true);

  const stuck = await cli(['stuck', '--older-than', '20d', '--page-size', '50']);
  expect(stuck.page.items).toHaveLength(50);
  for (const item of stuck.page.items as unknown as { reasons: string[] }[])
    expect(item.reasons.length).toBeGreaterThan(0);

  const incidents = await cli(['incidents', '--page-size', '50']);
  expect(incidents.page.items.length).toBe(Math.ceil(N / 97));
  expect(incidents.page.items.every((item) => item.incident === 'createPartnerAccount')).toBe(true);

  const byDue = await cli(['list', '--stage', 'phone-verification', '--order', 'due', '--page-size', '50']);
  const due = byDue.page.items.map((item) => item.dueAt!);
  expect(due).toHaveLength(50);
  expect([...due].sort()).toEqual(due);

  const queries = (await frontendRequests('QueryWorkflow')) - queriesBefore;
  const describes = (await frontendRequests('DescribeWorkflowExecution')) - describesBefore;
  process.stdout.write(
    `cli at ${N} enrollments: first page of reviews ${reviews.ms} ms, next ${second.ms} ms, stuck ${stuck.ms} ms, ` +
      `incidents ${incidents.ms} ms, list by due ${byDue.ms} ms (whole command, node start included); ` +
      `workflow queries ${queries}, describes ${describes}\n`,
  );
  expect(queries).toBe(0);
  expect(describes).toBe(0);
}, 120_000);
