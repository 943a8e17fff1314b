/**
 * Malformed and hostile payloads against every signal and every update of a running enrollment
 * (in review). Updates must be refused by their validator (WorkflowUpdateFailedError, type
 * ActionRefused), signals recorded as refused in the audit trail, and the enrollment's status
 * (audit trail aside) must be exactly what it was. The workflow must never fail a task.
 */
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import fc from 'fast-check';
import { setTimeout as delay } from 'node:timers/promises';
import type { EnrollmentStatus } from '../../src/domain/status';
import { actions, statusQuery, type ActionName } from '../../src/workflows/definitions';
import { startInReview } from '../harness/driver';
import { startServiceStack, type ServiceStack } from '../harness/stack';
import { newFigures, reportBadInput } from './support/figures';
import { hostileString, mutationsOf } from './support/hostile';
import { ACTION_NAMES, ACTION_SCHEMAS, REFUSED_ROLE, VALID_PAYLOADS } from './support/valid-payloads';

const SEED = 20261123;
const UPDATES_PER_ACTION = 12;
const SIGNALS_PER_ACTION = 5;
const figures = newFigures();
let stack: ServiceStack;
let handle: WorkflowHandle;

beforeAll(async () => {
  stack = await startServiceStack('bad-input');
  handle = await startInReview(stack.temporal.client, stack.taskQueue);
});
afterAll(async () => {
  reportBadInput('workflow signals and updates', figures);
  await stack?.close();
});

/** The status without the audit trail, which records refused signals by design. */
async function snapshot(): Promise<{ state: string; audit: EnrollmentStatus['audit'] }> {
  const { audit, ...rest } = await handle.query(statusQuery);
  return { state: JSON.stringify(rest), audit };
}

/** Input the action's schema rejects: broken templates and well-formed input from a refused role. */
function badInputFor(name: ActionName): fc.Arbitrary<unknown> {
  const schema = ACTION_SCHEMAS[name];
  const malformed = mutationsOf(VALID_PAYLOADS[name]).filter((p) => !schema.safeParse(p).success);
  const wrongRole = hostileString
    .filter((id) => id.trim().length > 0 && id.trim().length <= 128)
    .map((id) => ({ ...VALID_PAYLOADS[name], actor: { id, role: REFUSED_ROLE[name] } }))
    .filter((p) => schema.safeParse(p).success);
  return fc.oneof({ weight: 4, arbitrary: malformed }, { weight: 1, arbitrary: wrongRole });
}

async function tryUpdate(name: ActionName, payload: unknown): Promise<void> {
  figures.tried += 1;
  const before = await snapshot();
  let refused = false;
  try {
    await handle.executeUpdate(actions[name].update as never, { args: [payload as never] });
  } catch (error) {
    refused =
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === 'ActionRefused';
    if (!refused) figures.serverErrors += 1;
    if (!refused) throw error;
  }
  expect(refused).toBe(true);
  const after = await snapshot();
  if (after.state !== before.state) figures.changedByRefused += 1;
  expect(after.state).toBe(before.state);
}

async function trySignal(name: ActionName, payload: unknown): Promise<void> {
  figures.tried += 1;
  const before = await snapshot();
  try {
    await handle.signal(actions[name].signal as never, payload as never);
  } catch (error) {
    figures.serverErrors += 1;
    throw error;
  }
  // The refusal lands in the audit trail once the workflow has handled the signal.
  let after = await snapshot();
  for (let i = 0; i < 200 && after.audit.length === before.audit.length; i++) {
    await delay(25);
    after = await snapshot();
  }
  const added = after.audit.slice(before.audit.length);
  expect(added).toEqual([expect.objectContaining({ action: `${name} (signal)`, outcome: 'refused' })]);
  if (after.state !== before.state) figures.changedByRefused += 1;
  expect(after.state).toBe(before.state);
}

describe.each(ACTION_NAMES)('%s', (name) => {
  test('bad updates are refused and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(badInputFor(name), (payload) => tryUpdate(name, payload)),
      { seed: SEED, numRuns: UPDATES_PER_ACTION, endOnFailure: true },
    );
  });

  test('bad signals are recorded as refused and change nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(badInputFor(name), (payload) => trySignal(name, payload)),
      { seed: SEED, numRuns: SIGNALS_PER_ACTION, endOnFailure: true },
    );
  });
});

test('the enrollment still runs, answers queries and never failed a workflow task', async () => {
  const description = await handle.describe();
  expect(description.status.name).toBe('RUNNING');
  await expect(handle.query(statusQuery)).resolves.toMatchObject({ stage: 'review' });
  const history = await handle.fetchHistory();
  const taskFailures = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
  expect(taskFailures).toEqual([]);
  expect(figures.serverErrors).toBe(0);
  expect(figures.changedByRefused).toBe(0);
});
