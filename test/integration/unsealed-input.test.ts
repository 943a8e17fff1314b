/**
 * Identity the workflow can trust at the codec level: a client without the payload keys (here the
 * real `temporal` CLI, as in the issue) cannot act on an enrollment. Its update is refused, its
 * signal is recorded as refused, its start fails at once, and nothing changes; no workflow task
 * fails. What Temporal's own tools legitimately send (queries without arguments, the stack trace,
 * cancel and terminate) still works. A payload sealed with a key the worker lacks fails the
 * workflow task with a message operators can read without a codec.
 */
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startEnrollment } from '../../src/client/enrollments';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';
import type { EnrollmentStatus } from '../../src/domain/status';
import { statusQuery } from '../../src/workflows/definitions';
import { enrollmentRequest } from '../fixtures';
import { start, startInReview, waitForStatus } from '../harness/driver';
import { newKey } from '../harness/keys';
import { startServiceStack, type ServiceStack } from '../harness/stack';

const run = promisify(execFile);
let stack: ServiceStack;
let handle: WorkflowHandle;

beforeAll(async () => {
  stack = await startServiceStack('unsealed-input');
  handle = await startInReview(stack.temporal.client, stack.taskQueue);
});
afterAll(() => stack?.close());

/** The Temporal CLI as anyone who can reach the server would run it: no codec, no keys. */
async function temporalCli(...args: string[]): Promise<{ code: number; out: string }> {
  const cli = process.env.CSP_TEST_TEMPORAL_CLI!;
  try {
    const { stdout, stderr } = await run(cli, [...args, '--address', stack.temporal.address], {
      timeout: 30_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const lead = JSON.stringify({ actor: { id: 'nobody', role: 'review-lead' }, decision: 'approve' });
const withoutAudit = ({ audit: _audit, ...rest }: EnrollmentStatus) => JSON.stringify(rest);

async function workflowTaskFailures(workflowId: string) {
  const history = await stack.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes);
}

test('an unsealed update from a plain client is refused and changes nothing', async () => {
  const before = await handle.query(statusQuery);
  const answer = await temporalCli(
    'workflow',
    'update',
    'execute',
    '--workflow-id',
    handle.workflowId,
    '--name',
    'decideReview',
    '--input',
    lead,
  );
  expect(answer.code).not.toBe(0);
  expect(answer.out).toContain('type: ActionRefused');
  const after = await handle.query(statusQuery);
  expect(after.stage).toBe('review');
  expect(withoutAudit(after)).toBe(withoutAudit(before));
  expect(after.audit).toEqual(before.audit);
});

test('an unsealed signal is recorded as refused, naming why, and changes nothing else', async () => {
  const before = await handle.query(statusQuery);
  const answer = await temporalCli(
    'workflow',
    'signal',
    '--workflow-id',
    handle.workflowId,
    '--name',
    'decideReviewSignal',
    '--input',
    lead,
  );
  expect(answer).toMatchObject({ code: 0 });
  const after = await waitForStatus(
    handle,
    (s) => s.audit.length > before.audit.length,
    'the refused signal in the audit trail',
  );
  expect(after.audit.slice(before.audit.length)).toEqual([
    expect.objectContaining({
      action: 'decideReview (signal)',
      outcome: 'refused',
      detail: expect.stringContaining('not sealed with a payload key of this service'),
    }),
  ]);
  expect(withoutAudit(after)).toBe(withoutAudit(before));
});

test('an unsealed start fails at once and reaches no external system', async () => {
  const request = enrollmentRequest();
  const workflowId = `enrollment-${request.organization.registrationNumber}`;
  const answer = await temporalCli(
    'workflow',
    'start',
    '--type',
    'enrollment',
    '--task-queue',
    stack.taskQueue,
    '--workflow-id',
    workflowId,
    '--input',
    JSON.stringify(request),
  );
  expect(answer).toMatchObject({ code: 0 });
  const started = stack.temporal.client.workflow.getHandle(workflowId);
  await expect(started.result()).rejects.toThrow();
  expect((await started.describe()).status.name).toBe('FAILED');
  expect(stack.simulator.ledger.entries().filter((e) => JSON.stringify(e).includes(workflowId))).toEqual([]);
  expect(await workflowTaskFailures(workflowId)).toEqual([]);
});

test('Temporal’s own tools still query, show the stack trace, cancel and terminate', async () => {
  const query = await temporalCli(
    'workflow',
    'query',
    '--workflow-id',
    handle.workflowId,
    '--name',
    'status',
  );
  expect(query).toMatchObject({ code: 0 });
  const stackTrace = await temporalCli('workflow', 'stack', '--workflow-id', handle.workflowId);
  expect(stackTrace).toMatchObject({ code: 0 });
  // Temporal UI's built-in queries carry no arguments; their answers are sealed like any other.
  const metadata = await handle.query<{ definition?: { queryDefinitions?: { name: string }[] } }>(
    '__temporal_workflow_metadata',
  );
  expect(metadata.definition?.queryDefinitions?.map((q) => q.name)).toContain('status');
  await expect(handle.query<string>('__stack_trace')).resolves.toEqual(expect.any(String));

  const cancelled = await start(stack.temporal.client, stack.taskQueue, enrollmentRequest());
  await waitForStatus(cancelled, (s) => s.stage === 'phone-verification', 'phone verification');
  expect(await temporalCli('workflow', 'cancel', '--workflow-id', cancelled.workflowId)).toMatchObject({
    code: 0,
  });
  await cancelled.result().catch(() => undefined);
  expect((await cancelled.describe()).status.name).not.toBe('RUNNING');

  const terminated = await start(stack.temporal.client, stack.taskQueue, enrollmentRequest());
  await waitForStatus(terminated, (s) => s.stage === 'phone-verification', 'phone verification');
  const terminate = await temporalCli(
    'workflow',
    'terminate',
    '--workflow-id',
    terminated.workflowId,
    '--reason',
    'test over',
  );
  expect(terminate).toMatchObject({ code: 0 });
  expect((await terminated.describe()).status.name).toBe('TERMINATED');

  for (const id of [handle.workflowId, cancelled.workflowId, terminated.workflowId])
    expect({ id, failures: await workflowTaskFailures(id) }).toEqual({ id, failures: [] });
});

test('a payload sealed with a key the worker lacks fails the task with a readable message', async () => {
  const stranger = parseKeyRing(newKey());
  const client = new Client({
    connection: stack.temporal.client.connection,
    dataConverter: encryptedDataConverter(stranger),
  });
  const poisoned = await startEnrollment(client, {
    taskQueue: stack.taskQueue,
    request: enrollmentRequest(),
  });
  // Read as an operator without any codec would: the failure's message is in plain words.
  const connection = await Connection.connect({ address: stack.temporal.address });
  try {
    const plain = new Client({ connection }).workflow.getHandle(poisoned.workflowId);
    let failures: Awaited<ReturnType<typeof workflowTaskFailures>> = [];
    for (let i = 0; i < 200 && failures.length === 0; i++) {
      const history = await plain.fetchHistory();
      failures = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
      if (failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const message = failures[0]?.workflowTaskFailedEventAttributes?.failure?.message ?? '';
    expect(message).toContain(`sealed with payload key ${stranger.currentKeyId}`);
    expect(message).toContain('add that key to CSP_PAYLOAD_KEYS');
  } finally {
    await connection.close();
    await poisoned.terminate('test over');
  }
});
