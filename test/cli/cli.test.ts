/**
 * The real `csp-enrollment` binary (dist/src/cli/main.js, built once here) against the dev server
 * and a worker: reviewers' and operators' commands, --json output and the exit codes scripts rely on.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cspApplication, enrollmentRequest } from '../fixtures';
import { start, submitApplication, waitForReview, waitForStage, waitForStatus } from '../harness/driver';
import { startBody } from '../harness/api-stack';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { startFlakyWorker, type FlakyWorker } from '../harness/api-flaky-worker';
import { TEST_KEY_RING } from '../harness/keys';
import { startServiceStack, type ServiceStack } from '../harness/stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

let stack: ServiceStack;
let flaky: FlakyWorker;
let dir: string;
beforeAll(async () => {
  // The binary as shipped: jest's global setup compiled dist/.
  expect(fs.existsSync(BIN)).toBe(true);
  stack = await startServiceStack('cli');
  flaky = await startFlakyWorker(stack);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-cli-'));
});
afterAll(async () => {
  await flaky?.close();
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], taskQueue = stack.taskQueue): Promise<Result> {
  const key = TEST_KEY_RING.keys.get(TEST_KEY_RING.currentKeyId)!.toString('base64');
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporal.address,
    CSP_TASK_QUEUE: taskQueue,
    CSP_PAYLOAD_KEYS: `${TEST_KEY_RING.currentKeyId}=${key}`,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const json = async (args: string[], taskQueue?: string) => {
  const result = await cli([...args, '--json'], taskQueue);
  return { ...result, body: JSON.parse(result.stdout) };
};

async function untilListed(args: string[], id: string, taskQueue?: string) {
  for (let i = 0; i < 100; i++) {
    const { body } = await json(args, taskQueue);
    const row = (body as { enrollmentId: string }[]).find((r) => r.enrollmentId === id);
    if (row) return row as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${id} never listed by ${args.join(' ')}`);
}

/** Starts an enrollment with its own mobile number and plays the applicant up to the review. */
async function enrollToReview() {
  const request = startBody();
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  await waitForStatus(handle, (s) => s.phoneVerification.codesSent > 0, 'the SMS code');
  const [sms] = stack.simulator.sentCodes(request.globalAdmin.mobile.replace(/\s/g, ''));
  await handle.executeUpdate(actions.submitPhoneCode.update, {
    args: [{ actor: { id: 'wei.zhang', role: 'applicant' }, code: sms.code }],
  });
  await submitApplication(handle, cspApplication());
  await waitForReview(handle);
  return handle;
}

test('usage errors exit 2, unknown enrollments 3', async () => {
  const none = await cli([]);
  expect(none.code).toBe(2);
  expect(none.stdout).toContain('reviews');
  expect((await cli(['frobnicate'])).code).toBe(2);
  expect((await cli(['reassign', 'enrollment-91310000ZZZZ00000X'])).code).toBe(2);
  expect((await cli(['stuck', '--older-than', 'soon'])).code).toBe(2);
  const missing = await json(['status', 'enrollment-91310000ZZZZ00000X']);
  expect(missing.code).toBe(3);
  expect(missing.body.error).toMatch(/no such enrollment/);
});

test('a reviewer lists pending reviews, claims, is refused when not holding, and approves', async () => {
  const handle = await enrollToReview();
  const id = handle.workflowId;

  const row = await untilListed(['reviews'], id);
  expect(row).toMatchObject({ enrollmentId: id, reviewDue: expect.any(String) });
  expect(row.holder).toBeUndefined();
  const text = await cli(['reviews']);
  expect(text.stdout).toContain(id);
  expect(text.stdout).toContain('unclaimed');

  const claimed = await cli(['claim', id, '--as', 'reviewer-1']);
  expect(claimed).toMatchObject({ code: 0, stdout: 'review claimed\n' });
  const held = await json(['reviews']);
  expect(held.body.find((r: { enrollmentId: string }) => r.enrollmentId === id)).toMatchObject({
    holder: 'reviewer:reviewer-1',
    heldSince: expect.any(String),
  });

  const before = await handle.query(statusQuery);
  const refused = await cli(['approve', id, '--as', 'reviewer-2']);
  expect(refused.code).toBe(4);
  expect(refused.stderr).toBe('refused: the review is held by reviewer:reviewer-1\n');
  expect(await handle.query(statusQuery)).toEqual(before);
  const reasonless = await json(['reject', id, '--as', 'reviewer-1']);
  expect(reasonless.code).toBe(4);
  expect(reasonless.body.error).toMatch(/reason/);

  const reassigned = await cli(['reassign', id, '--to', 'reviewer-2', '--as', 'lead-1']);
  expect(reassigned.stdout).toBe('review assigned to reviewer:reviewer-2\n');
  const released = await cli(['release', id, '--as', 'reviewer-2']);
  expect(released.code).toBe(0);
  await cli(['claim', id, '--as', 'reviewer-1']);

  const approved = await json(['approve', id, '--as', 'reviewer-1', '--comment', 'all in order']);
  expect(approved).toMatchObject({ code: 0, body: { message: 'application approved' } });
  await waitForStage(handle, 'agreement');

  const shown = await cli(['status', id]);
  expect(shown.stdout).toContain('stage: agreement');
  expect(shown.stdout).toMatch(/reviewer:reviewer-1 +approved — all in order/);
  const shownJson = await json(['status', id]);
  expect(shownJson.body.review.approvals).toHaveLength(1);

  const withdrawn = await cli(['withdraw', id, '--as', 'wei.zhang', '--reason', 'test over']);
  expect(withdrawn.code).toBe(0);
  await expect(handle.result()).resolves.toMatchObject({ endState: 'withdrawn' });
});

test('request-info and reject from the command line', async () => {
  const handle = await enrollToReview();
  const id = handle.workflowId;
  await cli(['claim', id, '--as', 'reviewer-1']);
  const asked = await cli(['request-info', id, '--as', 'reviewer-1', '--reason', 'audited accounts?']);
  expect(asked.stdout).toBe('information requested from the applicant\n');
  await waitForStage(handle, 'information-requested');
  const answered = await cli(['answer', id, 'attached', '--as', 'wei.zhang']);
  expect(answered.code).toBe(0);
  await waitForStage(handle, 'review');
  const rejected = await cli(['reject', id, '--as', 'reviewer-1', '--reason', 'insolvent']);
  expect(rejected.stdout).toBe('application rejected\n');
  await expect(handle.result()).resolves.toEqual({ endState: 'rejected', reason: 'insolvent' });
});

test('operators find stuck enrollments, failed ones, and retry the failed step', async () => {
  // Stuck: waiting in its stage longer than the threshold.
  const waiting = await start(stack.temporal.client, stack.taskQueue, enrollmentRequest());
  await waitForStage(waiting, 'phone-verification');
  const stuck = await json(['stuck', '--older-than', '0s']);
  expect(stuck.code).toBe(0);
  const entry = stuck.body.find((r: { enrollmentId: string }) => r.enrollmentId === waiting.workflowId);
  expect(entry.reasons.join()).toMatch(/in stage phone-verification since/);
  const calm = await json(['stuck']);
  expect(
    calm.body.find((r: { enrollmentId: string }) => r.enrollmentId === waiting.workflowId),
  ).toBeUndefined();

  // Failed: the work account step fails for good on the flaky worker.
  const failing = await start(stack.temporal.client, flaky.taskQueue, enrollmentRequest());
  const id = failing.workflowId;
  await expect(failing.result()).resolves.toMatchObject({ endState: 'failed' });
  const failed = await untilListed(['failed'], id, flaky.taskQueue);
  expect(failed).toMatchObject({ endState: 'failed' });
  const text = await cli(['failed'], flaky.taskQueue);
  expect(text.stdout).toContain(id);

  const notFailed = await cli(['retry', waiting.workflowId]);
  expect(notFailed.code).toBe(4);
  expect(notFailed.stderr).toMatch(/did not fail/);

  // The cause is gone; the step runs again and the enrollment goes on.
  flaky.failing = false;
  const retried = await json(['retry', id], flaky.taskQueue);
  expect(retried.code).toBe(0);
  expect(retried.body).toMatchObject({
    enrollmentId: id,
    step: 'createWorkAccount',
    runId: expect.any(String),
  });
  const resumed = stack.temporal.client.workflow.getHandle(id);
  const status = await waitForStatus(resumed, (s) => s.stage === 'phone-verification', 'the retried run');
  expect(status.account.tenantDomain).toBe('yunfan.partner.onmschina.cn');
  expect(status.endState).toBeUndefined();
  const gone = await json(['failed'], flaky.taskQueue);
  expect(gone.body.find((r: { enrollmentId: string }) => r.enrollmentId === id)).toBeUndefined();

  await resumed.executeUpdate('withdraw', { args: [{ actor: { id: 'op', role: 'operator' } }] });
  await waiting.executeUpdate('withdraw', { args: [{ actor: { id: 'op', role: 'operator' } }] });
});
