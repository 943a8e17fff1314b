/**
 * The real `csp-enrollment` binary (dist/src/cli/main.js, built once here) against the dev server
 * and a worker: reviewers' and operators' commands, --json output and the exit codes scripts rely on.
 */
import { codeArrived } from '../../src/domain/status';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cspApplication, enrollmentRequest } from '../fixtures';
import {
  start,
  submitApplication,
  waitForOffer,
  waitForReview,
  waitForStage,
  waitForStatus,
} from '../harness/driver';
import { startBody } from '../harness/api-stack';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { startFlakyWorker, type FlakyWorker } from '../harness/api-flaky-worker';
import { keyRingSpec, parseKeyRing } from '../../src/codec/key-ring';
import { newKey, TEST_KEY_RING } from '../harness/keys';
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

async function cli(
  args: string[],
  taskQueue = stack.taskQueue,
  overrides: Record<string, string> = {},
): Promise<Result> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporal.address,
    CSP_TASK_QUEUE: taskQueue,
    CSP_PAYLOAD_KEYS: keyRingSpec(TEST_KEY_RING),
    ...overrides,
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

/** Visibility follows the workflow a moment later: polls `read` until it gives a value. */
async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('never came');
}

async function untilListed(args: string[], id: string, taskQueue?: string) {
  for (let i = 0; i < 100; i++) {
    const { body } = await json(args, taskQueue);
    const row = (body as { items: { enrollmentId: string }[] }).items.find((r) => r.enrollmentId === id);
    if (row) return row as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${id} never listed by ${args.join(' ')}`);
}

/** Starts an enrollment with its own mobile number and plays the applicant up to the review. */
async function enrollToReview() {
  // Provisioning looked at again after 5 minutes: it stays in its stage while the CLI is tried there.
  const request = { ...startBody(), policy: { provisioning: { pollEvery: '1 hour' } } };
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  await waitForStatus(handle, (s) => codeArrived(s), 'the SMS code');
  const [sms] = stack.simulator.sentCodes(request.organization.phone.replace(/\s/g, ''));
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
  expect(row.reviewAssignee).toBeUndefined();
  const text = await cli(['reviews']);
  expect(text.stdout).toContain(id);
  expect(text.stdout).toContain('unclaimed');

  const claimed = await cli(['claim', id, '--as', 'reviewer-1']);
  expect(claimed).toMatchObject({ code: 0, stdout: 'review claimed\n' });
  await expect(
    until(async () => {
      const held = (await untilListed(['reviews'], id)) as { reviewAssignee?: string };
      return held.reviewAssignee ? held : undefined;
    }),
  ).resolves.toMatchObject({ reviewAssignee: 'reviewer:reviewer-1', heldSince: expect.any(String) });

  const before = await handle.query(statusQuery);
  const refused = await cli(['approve', id, '--as', 'reviewer-2']);
  expect(refused.code).toBe(4);
  expect(refused.stderr).toBe('refused: the review is held by reviewer:reviewer-1\n');
  expect(await handle.query(statusQuery)).toEqual(before);
  const reasonless = await json(['reject', id, '--as', 'reviewer-1']);
  expect(reasonless.code).toBe(4);
  expect(reasonless.body.error).toMatch(/reason/);

  const people = { CSP_DIRECTORY: 'reviewer-1:reviewer,reviewer-2:reviewer,lead-1:review-lead' };
  const stranger = await cli(['reassign', id, '--to', 'nobody', '--as', 'lead-1'], stack.taskQueue, people);
  expect(stranger.code).toBe(4);
  expect(stranger.stderr).toMatch(/nobody known as reviewer nobody/);
  const reassigned = await cli(
    ['reassign', id, '--to', 'reviewer-2', '--as', 'lead-1'],
    stack.taskQueue,
    people,
  );
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

  // The agreement is shown (name, version, link, digest, signer) and signed only once confirmed.
  const offered = await waitForOffer(handle);
  const unconfirmed = await cli(['accept-agreement', id, '--as', 'wei.zhang']);
  expect(unconfirmed.code).toBe(4);
  expect(unconfirmed.stdout).toContain('21Vianet CSP reseller agreement, version 2025-01-CN');
  expect(unconfirmed.stdout).toContain(offered.agreement.url!);
  expect(unconfirmed.stdout).toContain(offered.agreement.textDigest!);
  expect(unconfirmed.stdout).toContain('signed by the global admin: wei.zhang@yunfan.example.cn');
  expect(unconfirmed.stderr).toMatch(/not signed: confirm at the prompt, or pass --yes/);
  expect((await handle.query(statusQuery)).agreement.acceptance).toBeUndefined();
  const wrongSigner = await cli([
    'accept-agreement',
    id,
    '--yes',
    '--signer-email',
    'li.na@yunfan.example.cn',
  ]);
  expect(wrongSigner.code).toBe(4);
  expect(wrongSigner.stderr).toMatch(/signed by the enrollment's global admin/);
  const signed = await cli(['accept-agreement', id, '--yes', '--as', 'wei.zhang']);
  expect(signed).toMatchObject({ code: 0 });
  expect(signed.stdout).toContain('21Vianet CSP reseller agreement signed');
  await waitForStage(handle, 'provisioning');

  // An operator gives more time where the applicant has a deadline: not while provisioning.
  const notNow = await cli(['extend-deadline', id, '--until', '2099-01-01T00:00:00Z', '--reason', 'asked']);
  expect(notNow.code).toBe(4);
  expect(notNow.stderr).toMatch(/stage provisioning has no deadline of the applicant's to extend/);
  expect((await cli(['incident', id, 'retry'])).code).toBe(2);
  const noIncident = await cli(['incident', id, 'retry', '--reason', 'fixed']);
  expect(noIncident.code).toBe(4);
  expect(noIncident.stderr).toMatch(/there is no open incident/);
  await handle.terminate('test over');
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
  // Visibility holds whole seconds: the stage was entered before "now" a second later.
  const entry = (await untilListed(['stuck', '--older-than', '0s'], waiting.workflowId)) as {
    reasons: string[];
  };
  expect(entry.reasons.join()).toMatch(/in stage phone-verification since/);
  const calm = await json(['stuck']);
  expect(
    calm.body.items.find((r: { enrollmentId: string }) => r.enrollmentId === waiting.workflowId),
  ).toBeUndefined();

  // An incident: the work account step fails for good on the flaky worker; the enrollment waits.
  const failingRequest = enrollmentRequest();
  const failing = await start(stack.temporal.client, flaky.taskQueue, failingRequest);
  const id = failing.workflowId;
  await waitForStatus(failing, (s) => s.incident?.step === 'createWorkAccount', 'the incident');
  const shown = await cli(['status', id], flaky.taskQueue);
  expect(shown.stdout).toMatch(/incident at createWorkAccount since .*: createWorkAccount failed/);

  // The cause is gone; an operator runs the step again and the enrollment goes on.
  flaky.failing = false;
  const retried = await cli(['incident', id, 'retry', '--reason', 'quota raised'], flaky.taskQueue);
  expect(retried).toMatchObject({ code: 0, stdout: 'createWorkAccount runs again\n' });
  const resumed = await waitForStatus(failing, (s) => s.stage === 'phone-verification', 'the step run again');
  const { workAccount } = failingRequest.organization;
  expect(resumed.account.tenantDomain).toBe(
    `${workAccount.kind === 'new' ? workAccount.domainPrefix : ''}.partner.onmschina.cn`,
  );
  expect(resumed.incidents?.[0]).toMatchObject({
    action: 'retry',
    closedBy: 'operator:cli',
    note: 'quota raised',
  });

  // Another incident an operator ends: failed, listed, and (the cause gone) run again from its step.
  flaky.failing = true;
  const ended = await start(stack.temporal.client, flaky.taskQueue, enrollmentRequest());
  const endedId = ended.workflowId;
  await waitForStatus(ended, (s) => !!s.incident, 'the second incident');
  expect((await cli(['incident', endedId, 'end', '--reason', 'cannot wait'], flaky.taskQueue)).code).toBe(0);
  await expect(ended.result()).resolves.toMatchObject({ endState: 'failed' });
  const failed = await untilListed(['failed'], endedId, flaky.taskQueue);
  expect(failed).toMatchObject({ endState: 'failed' });

  const notFailed = await cli(['retry', waiting.workflowId]);
  expect(notFailed.code).toBe(4);
  expect(notFailed.stderr).toMatch(/did not fail/);
  // A repair is for a run whose workflow task fails at every attempt (test/faults/worker-sigkill).
  const healthy = await cli(['repair', waiting.workflowId]);
  expect(healthy.code).toBe(4);
  expect(healthy.stderr).toMatch(/workflow tasks are not failing/);
  expect((await cli(['repair', endedId], flaky.taskQueue)).stderr).toMatch(/is not running \(COMPLETED\)/);
  flaky.failing = false;
  const reset = await json(['retry', endedId], flaky.taskQueue);
  expect(reset.code).toBe(0);
  expect(reset.body).toMatchObject({
    enrollmentId: endedId,
    step: 'createWorkAccount',
    runId: expect.any(String),
  });
  const again = stack.temporal.client.workflow.getHandle(endedId);
  await waitForStatus(again, (s) => s.stage === 'phone-verification', 'the retried run');
  const gone = await json(['failed'], flaky.taskQueue);
  expect(gone.body.items.find((r: { enrollmentId: string }) => r.enrollmentId === endedId)).toBeUndefined();

  for (const handle of [failing, again, waiting])
    await handle.executeUpdate('withdraw', { args: [{ actor: { id: 'op', role: 'operator' } }] });
});

describe('payload keys', () => {
  const request = () => {
    const file = path.join(dir, `request-${Date.now()}.json`);
    const body = enrollmentRequest();
    fs.writeFileSync(file, JSON.stringify(body));
    return { file, id: `enrollment-${body.organization.registrationNumber}` };
  };
  const notStarted = async (id: string) =>
    expect(stack.temporal.client.workflow.getHandle(id).describe()).rejects.toThrow();

  test('a CLI sealing with a key no worker holds refuses before starting anything', async () => {
    const { file, id } = request();
    const stranger = parseKeyRing(newKey());
    const result = await cli(['enroll', file], stack.taskQueue, { CSP_PAYLOAD_KEYS: keyRingSpec(stranger) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`seals payloads with key ${stranger.currentKeyId}`);
    expect(result.stderr).toContain(TEST_KEY_RING.currentKeyId);
    await notStarted(id);
  });

  test('a CLI holding the workers’ key too is told which current key to set', async () => {
    const { file, id } = request();
    const both = parseKeyRing(`${newKey()},${keyRingSpec(TEST_KEY_RING)}`);
    const result = await cli(['enroll', file], stack.taskQueue, { CSP_PAYLOAD_KEYS: keyRingSpec(both) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`set CSP_PAYLOAD_KEY_ID=${TEST_KEY_RING.currentKeyId}`);
    await notStarted(id);
    const fixed = await cli(['enroll', file], stack.taskQueue, {
      CSP_PAYLOAD_KEYS: keyRingSpec(both),
      CSP_PAYLOAD_KEY_ID: TEST_KEY_RING.currentKeyId,
    });
    expect(fixed).toMatchObject({ code: 0, stdout: `${id}\n` });
    await stack.temporal.client.workflow.getHandle(id).terminate('test over');
  });

  test('without keys and without npm start’s key file, the CLI says what to set', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-cli-nokeys-'));
    try {
      const result = await cli(['status', 'enrollment-x'], stack.taskQueue, {
        CSP_PAYLOAD_KEYS: '',
        CSP_DATA_DIR: empty,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no payload keys: set CSP_PAYLOAD_KEYS/);
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
