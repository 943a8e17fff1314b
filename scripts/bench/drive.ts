/**
 * Scripted applicants and reviewers for the bench: one enrollment (or one baseline workflow) from
 * start to end through the Temporal client, timing the reviewer's decision until the next stage
 * shows in the status query.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { startEnrollment } from '../../src/client/enrollments';
import type { Actor } from '../../src/domain/actions';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import { agreementOffered, type EnrollmentStatus } from '../../src/domain/status';
import type { Simulator } from '../../src/integrations/simulator';
import { actions, statusQuery, type ActionName } from '../../src/workflows/definitions';
import { baselineState, baselineStep } from './baseline-workflow';

const applicant: Actor = { id: 'bench-applicant', role: 'applicant' };
const reviewer: Actor = { id: 'bench-reviewer', role: 'reviewer' };

export interface RunFigures {
  decisionToVisibleMs?: number;
  historyEvents: number;
}

/** A distinct organization and +86 mobile per index; registration numbers avoid I, O, Z, S, V. */
export function benchRequest(run: string, i: number): { request: EnrollmentRequestInput; mobile: string } {
  // Digits for the index: letters would be folded and collide.
  const serial = `${run.slice(-5).replace(/[IOZSV]/g, 'A')}${String(i).padStart(5, '0')}`;
  const mobile = `+86139${String(i).padStart(8, '0')}`;
  return {
    mobile,
    request: {
      organization: {
        name: `Bench Trading ${i} Co., Ltd.`,
        registrationNumber: `91310000${serial}`.padEnd(18, '0').slice(0, 18),
        domainPrefix: `bench-${run.toLowerCase()}-${i}`,
      },
      globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: `admin${i}@bench.example.cn`, mobile },
      locale: 'en-US',
      policy: { provisioning: { pollEvery: '50 ms' } },
    },
  };
}

export const APPLICATION = {
  mpnId: '6123456',
  businessProfile: {
    legalName: 'Bench Trading Co., Ltd.',
    legalRepresentative: 'Li Na',
    address: { province: 'Shanghai', city: 'Shanghai', street: '88 Century Avenue', postalCode: '200120' },
  },
  approvalContacts: [
    { firstName: 'Na', lastName: 'Li', email: 'li.na@bench.example.cn', phone: '+86 21 6888 1234' },
  ],
  customerSupport: {
    url: 'https://support.bench.example.cn',
    email: 'support@bench.example.cn',
    phone: '+86 400 820 1234',
  },
};

export async function until(
  handle: WorkflowHandle,
  predicate: (s: EnrollmentStatus) => boolean,
  pauseMs = 50,
): Promise<EnrollmentStatus> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await handle.query(statusQuery);
    if (predicate(status)) return status;
    if (status.stage === 'ended')
      throw new Error(`enrollment ended early: ${status.endState} ${status.endReason}`);
    if (Date.now() > deadline) throw new Error(`stuck in stage ${status.stage}`);
    await delay(pauseMs);
  }
}

export async function runEnrollment(
  client: Client,
  taskQueue: string,
  simulator: Simulator,
  run: string,
  i: number,
): Promise<RunFigures> {
  const { request, mobile } = benchRequest(run, i);
  const handle = await startEnrollment(client, { taskQueue, request });
  const update = (name: ActionName, input: object) =>
    handle.executeUpdate(actions[name].update as never, { args: [input as never] });
  await until(handle, (s) => s.phoneVerification.codesSent > 0);
  await update('submitPhoneCode', { actor: applicant, code: simulator.sentCodes(mobile).at(-1)!.code });
  await until(handle, (s) => s.stage === 'application');
  await update('submitApplication', { actor: applicant, application: APPLICATION });
  await until(handle, (s) => s.stage === 'review' && !!s.review.credit);
  await update('claimReview', { actor: reviewer });
  const decided = Date.now();
  await update('decideReview', { actor: reviewer, decision: 'approve' });
  // Tight polling: this is the figure being measured.
  await until(handle, (s) => s.stage !== 'review', 1);
  const decisionToVisibleMs = Date.now() - decided;
  const offered = await until(handle, agreementOffered, 5);
  await update('acceptAgreement', {
    actor: applicant,
    agreementVersion: offered.agreement.version,
    textDigest: offered.agreement.textDigest,
  });
  const outcome = (await handle.result()) as { endState: string };
  if (outcome.endState !== 'completed') throw new Error(`enrollment ended ${outcome.endState}`);
  const history = await handle.fetchHistory();
  return { decisionToVisibleMs, historyEvents: history.events?.length ?? 0 };
}

/**
 * Starts one enrollment without phone verification, submits its application and waits until it
 * sits in review with its credit result: the state in which `--scale` parks K of them.
 */
export async function parkInReview(
  client: Client,
  taskQueue: string,
  run: string,
  i: number,
): Promise<WorkflowHandle> {
  const { request } = benchRequest(run, i);
  const handle = await startEnrollment(client, {
    taskQueue,
    request: { ...request, policy: { ...request.policy, phoneVerification: { required: false } } },
  });
  await until(handle, (s) => s.stage === 'application', 100);
  await handle.executeUpdate(actions.submitApplication.update as never, {
    args: [{ actor: applicant, application: APPLICATION } as never],
  });
  await until(handle, (s) => s.stage === 'review' && !!s.review.credit, 100);
  return handle;
}

/**
 * Decision to visible stage with nothing else running: parks `count` enrollments in review (the
 * worker keeps them cached), then, one at a time, claims one and times its approval until the
 * status query shows the next stage.
 */
export async function decisionsOneAtATime(
  client: Client,
  taskQueue: string,
  run: string,
  count: number,
  firstIndex: number,
): Promise<number[]> {
  const handles = await Promise.all(
    Array.from({ length: count }, (_, i) => parkInReview(client, taskQueue, run, firstIndex + i)),
  );
  return timeEachThenEnd(handles, async (handle) => {
    await handle.executeUpdate(actions.claimReview.update, { args: [{ actor: reviewer }] });
    return async () => {
      await handle.executeUpdate(actions.decideReview.update, {
        args: [{ actor: reviewer, decision: 'approve' }],
      });
      await until(handle, (s) => s.stage !== 'review', 1);
    };
  });
}

/** Runs each handle's preparation untimed, then times what it returns; one at a time; ends them all. */
async function timeEachThenEnd(
  handles: WorkflowHandle[],
  prepare: (handle: WorkflowHandle) => Promise<() => Promise<void>>,
): Promise<number[]> {
  const latencies: number[] = [];
  for (const handle of handles) {
    const timed = await prepare(handle);
    const started = Date.now();
    await timed();
    latencies.push(Date.now() - started);
  }
  await Promise.all(handles.map((handle) => handle.terminate('bench over')));
  return latencies;
}

/** The baseline's scripted steps, each sent once the workflow waits at the stage it needs. */
const BASELINE_STEPS = [
  ['phone', 1],
  ['application', 2],
  ['claim', 3],
  ['decide', 3],
  ['accept', 5],
] as const;

async function stepBaseline(handle: WorkflowHandle, steps: readonly (readonly [string, number])[]) {
  for (const [step, stage] of steps) {
    while ((await handle.query(baselineState)).stage < stage) await delay(50);
    await handle.executeUpdate(baselineStep, { args: [step] });
  }
}

export async function runBaseline(
  client: Client,
  taskQueue: string,
  run: string,
  i: number,
): Promise<RunFigures> {
  const handle = await client.workflow.start('baseline', {
    taskQueue,
    workflowId: `baseline-${run}-${i}`,
    args: [],
  });
  await stepBaseline(handle, BASELINE_STEPS);
  await handle.result();
  const history = await handle.fetchHistory();
  return { historyEvents: history.events?.length ?? 0 };
}

/**
 * The engine's floor for the same measure: a bare update and one query on baseline workflows,
 * one at a time, each cached on its worker and waiting where the enrollment waits for a decision.
 */
export async function baselineDecisionsOneAtATime(
  client: Client,
  taskQueue: string,
  run: string,
  count: number,
): Promise<number[]> {
  const handles = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const handle = await client.workflow.start('baseline', {
        taskQueue,
        workflowId: `baseline-decision-${run}-${i}`,
        args: [],
      });
      await stepBaseline(handle, BASELINE_STEPS.slice(0, 3));
      return handle;
    }),
  );
  return timeEachThenEnd(handles, async (handle) => async () => {
    await handle.executeUpdate(baselineStep, { args: ['decide'] });
    await handle.query(baselineState);
  });
}
