/**
 * One driver for the bench's two workflows, the enrollment and its baseline: a scripted person
 * takes each through its happy path with the same client calls per step. A step either acts on
 * the previous update's result or waits for what it needs (the code sent, the credit result,
 * the offer): one query, and while that shows the workflow not ready, a long poll of its history
 * (the server answers when events are added) until a workflow task has completed, then one query
 * again. No timed polling: what a wait costs follows the workflow's own tasks, not a clock.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startEnrollment } from '../../src/client/enrollments';
import type { Actor } from '../../src/domain/actions';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import { agreementOffered, codeArrived, type EnrollmentStatus } from '../../src/domain/status';
import type { Simulator } from '../../src/stand-ins/simulator';
import {
  actions,
  statusQuery,
  type ActionInputs,
  type ActionName,
  type ActionResult,
} from '../../src/workflows/definitions';
import { baselineState, baselineStep, type BaselineStep, type BaselineView } from './baseline-workflow';
import { historyFigures, type HistoryFigures } from './history-figures';

const applicant: Actor = { id: 'bench-applicant', role: 'applicant' };
const reviewer: Actor = { id: 'bench-reviewer', role: 'reviewer' };

/** The client calls of one run, by kind (the bench's own measuring calls afterwards are not counted). */
export interface ClientCalls {
  /** Starting: the service's check that the organization is not enrolled (a describe), the start. */
  start: number;
  update: number;
  query: number;
  /** Long polls of the history while waiting. */
  historyPoll: number;
  /** Waiting for the run's result (one long poll). */
  result: number;
}

export const noCalls = (): ClientCalls => ({ start: 0, update: 0, query: 0, historyPoll: 0, result: 0 });

export interface RunFigures {
  workflowId: string;
  decisionToVisibleMs?: number;
  historyEvents: number;
  calls: ClientCalls;
  /** What the run cost the engine (history-figures.ts). */
  history: HistoryFigures;
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
        phone: mobile,
        workAccount: { kind: 'new', domainPrefix: `bench-${run.toLowerCase()}-${i}` },
      },
      globalAdmin: { firstName: 'Wei', lastName: 'Zhang', email: `admin${i}@bench.example.cn` },
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

const EventType = temporal.api.enums.v1.EventType;
const WAIT_LIMIT_MS = 120_000;

/**
 * Follows a workflow's history with long polls: `nextTask` returns once a workflow task has
 * completed since the events read so far, or the run has closed. `prime` reads the history so far
 * (the first read, without a page token, never waits): done before the first query, it makes a
 * task that completes between a query and the next poll wake the poll, and an earlier one not.
 */
class HistoryFollower {
  private token?: Uint8Array;
  private closed = false;
  primed = false;

  constructor(
    private readonly client: Client,
    private readonly workflowId: string,
    private readonly calls: ClientCalls,
  ) {}

  async prime(): Promise<void> {
    this.primed = true;
    await this.poll();
  }

  async nextTask(): Promise<void> {
    if (!this.primed) throw new Error('prime the history follower before its first wait');
    while (!this.closed) {
      const events = await this.poll();
      if (events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) return;
    }
  }

  private async poll() {
    this.calls.historyPoll += 1;
    const response = await this.client.workflowService.getWorkflowExecutionHistory({
      namespace: this.client.options.namespace,
      execution: { workflowId: this.workflowId },
      nextPageToken: this.token,
      waitNewEvent: true,
      historyEventFilterType:
        temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT,
      skipArchival: true,
    });
    // No token back: the run has closed (there is nothing further to wait for).
    if (response.nextPageToken?.length) this.token = response.nextPageToken;
    else this.closed = true;
    return response.history?.events ?? [];
  }
}

/** How the driver reads one kind of workflow, and how it starts and ends it. */
interface Subject<View> {
  handle: WorkflowHandle;
  read(): Promise<View>;
  /** The stage that means the run ended (a wait that sees it fails). */
  ended(view: View): boolean;
  stage(view: View): string;
}

/** One workflow under the driver: reads, waits and acts, counting its client calls. */
class Driven<View> {
  readonly calls: ClientCalls;
  private readonly follower: HistoryFollower;

  constructor(
    client: Client,
    readonly subject: Subject<View>,
    calls: ClientCalls,
  ) {
    this.calls = calls;
    this.follower = new HistoryFollower(client, subject.handle.workflowId, calls);
  }

  async read(): Promise<View> {
    this.calls.query += 1;
    return this.subject.read();
  }

  /** Reads the history so far, so that waits need not (untimed, before a timed step). */
  async prime(): Promise<void> {
    if (!this.follower.primed) await this.follower.prime();
  }

  /** Reads until `ready`; between reads, waits for the workflow's next task. */
  async until(ready: (view: View) => boolean): Promise<View> {
    await this.prime();
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const view = await this.read();
      if (ready(view)) return view;
      if (this.subject.ended(view)) throw new Error(`ended early, in stage ${this.subject.stage(view)}`);
      if (Date.now() > deadline) throw new Error(`stuck in stage ${this.subject.stage(view)}`);
      await this.follower.nextTask();
    }
  }

  async act<R>(update: () => Promise<R>): Promise<R> {
    this.calls.update += 1;
    return update();
  }
}

/**
 * A step of the happy path: what the person waits for (none: they act on the previous update's
 * result, which must show `after`) and what they do.
 */
interface Step<View> {
  name: string;
  ready?: (view: View) => boolean;
  after?: string;
  act(view: View | undefined): Promise<{ stage: string }>;
  /** The decision: timed from its update until a read shows `visible`. */
  visible?: (view: View) => boolean;
}

/** Takes a started workflow through its steps, then waits for its result. */
async function runSteps<View>(
  driven: Driven<View>,
  steps: Step<View>[],
): Promise<{ decisionToVisibleMs?: number; result: unknown }> {
  let last: { stage: string } | undefined;
  let decided: { at: number; visible: (view: View) => boolean } | undefined;
  let decisionToVisibleMs: number | undefined;
  for (const step of steps) {
    let view: View | undefined;
    if (step.ready) {
      view = await driven.until((v) => {
        if (decided?.visible(v)) {
          decisionToVisibleMs = Date.now() - decided.at;
          decided = undefined;
        }
        return step.ready!(v);
      });
    } else if (step.after && last?.stage !== step.after)
      throw new Error(`${step.name}: the previous step left stage ${last?.stage}, not ${step.after}`);
    const at = Date.now();
    last = await driven.act(() => step.act(view));
    if (step.visible) decided = { at, visible: step.visible };
  }
  driven.calls.result += 1;
  return { decisionToVisibleMs, result: await driven.subject.handle.result() };
}

const enrollmentSubject = (handle: WorkflowHandle): Subject<EnrollmentStatus> => ({
  handle,
  read: () => handle.query(statusQuery),
  ended: (s) => s.stage === 'ended',
  stage: (s) => (s.stage === 'ended' ? `ended ${s.endState}: ${s.endReason}` : s.stage),
});

const baselineSubject = (handle: WorkflowHandle): Subject<BaselineView> => ({
  handle,
  read: () => handle.query(baselineState),
  ended: (v) => v.stage === 'ended',
  stage: (v) => v.stage,
});

function enrollmentSteps(
  handle: WorkflowHandle,
  simulator: Simulator,
  mobile: string,
): Step<EnrollmentStatus>[] {
  const update = <N extends ActionName>(name: N, input: ActionInputs[N]): Promise<ActionResult> =>
    handle.executeUpdate(actions[name].update, { args: [input] });
  return [
    {
      name: 'phone code',
      ready: (s) => codeArrived(s),
      act: () =>
        update('submitPhoneCode', { actor: applicant, code: simulator.sentCodes(mobile).at(-1)!.code }),
    },
    {
      name: 'application',
      ready: (s) => s.stage === 'application',
      act: () => update('submitApplication', { actor: applicant, application: APPLICATION }),
    },
    {
      name: 'claim',
      ready: (s) => s.stage === 'review' && !!s.review.credit,
      act: () => update('claimReview', { actor: reviewer }),
    },
    {
      name: 'decide',
      after: 'review',
      act: () => update('decideReview', { actor: reviewer, decision: 'approve' }),
      visible: (s) => s.stage !== 'review',
    },
    {
      name: 'accept',
      ready: agreementOffered,
      act: (offered) =>
        update('acceptAgreement', {
          actor: applicant,
          // Both are set once the agreement is offered.
          agreementVersion: offered!.agreement.version!,
          textDigest: offered!.agreement.textDigest!,
          signerEmail: offered!.globalAdmin!.email,
        }),
    },
  ];
}

function baselineSteps(handle: WorkflowHandle): Step<BaselineView>[] {
  const update = (step: BaselineStep) => handle.executeUpdate(baselineStep, { args: [step] });
  return [
    {
      name: 'phone code',
      ready: (v) => v.stage === 'phone-verification' && v.codeSent,
      act: () => update('phone-code'),
    },
    { name: 'application', ready: (v) => v.stage === 'application', act: () => update('application') },
    { name: 'claim', ready: (v) => v.stage === 'review' && v.credit, act: () => update('claim') },
    { name: 'decide', after: 'review', act: () => update('decide'), visible: (v) => v.stage !== 'review' },
    { name: 'accept', ready: (v) => v.stage === 'agreement' && v.offered, act: () => update('accept') },
  ];
}

async function startEnrollmentCounted(
  client: Client,
  taskQueue: string,
  request: EnrollmentRequestInput,
  calls: ClientCalls,
) {
  // startEnrollment asks whether the organization is enrolled (a describe), then starts.
  calls.start += 2;
  return startEnrollment(client, { taskQueue, request });
}

/** The baseline starts as the service starts an enrollment: a describe (not found), then the start. */
async function startBaseline(client: Client, taskQueue: string, workflowId: string, calls: ClientCalls) {
  calls.start += 2;
  await client.workflow
    .getHandle(workflowId)
    .describe()
    .then(
      () => {
        throw new Error(`${workflowId} exists already`);
      },
      () => undefined,
    );
  return client.workflow.start('baseline', { taskQueue, workflowId, args: [] });
}

export async function runEnrollment(
  client: Client,
  taskQueue: string,
  simulator: Simulator,
  run: string,
  i: number,
): Promise<RunFigures> {
  const { request, mobile } = benchRequest(run, i);
  const calls = noCalls();
  const handle = await startEnrollmentCounted(client, taskQueue, request, calls);
  const driven = new Driven(client, enrollmentSubject(handle), calls);
  const { decisionToVisibleMs, result } = await runSteps(driven, enrollmentSteps(handle, simulator, mobile));
  // From the result: a query now would have the worker replay the closed run.
  const { endState } = result as { endState: string };
  if (endState !== 'completed') throw new Error(`enrollment ended ${endState}`);
  return figuresOf(handle, calls, decisionToVisibleMs);
}

/** A finished run's figures: its client calls, and what its history holds (read now). */
async function figuresOf(
  handle: WorkflowHandle,
  calls: ClientCalls,
  decisionToVisibleMs: number | undefined,
): Promise<RunFigures> {
  const history = await historyFigures(handle);
  return {
    workflowId: handle.workflowId,
    decisionToVisibleMs,
    historyEvents: history.events,
    calls,
    history,
  };
}

export async function runBaseline(
  client: Client,
  taskQueue: string,
  run: string,
  i: number,
): Promise<RunFigures> {
  const calls = noCalls();
  const handle = await startBaseline(client, taskQueue, `baseline-${run}-${i}`, calls);
  const driven = new Driven(client, baselineSubject(handle), calls);
  const { decisionToVisibleMs } = await runSteps(driven, baselineSteps(handle));
  return figuresOf(handle, calls, decisionToVisibleMs);
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
  const calls = noCalls();
  const handle = await startEnrollmentCounted(
    client,
    taskQueue,
    { ...request, policy: { ...request.policy, phoneVerification: { required: false } } },
    calls,
  );
  const driven = new Driven(client, enrollmentSubject(handle), calls);
  await driven.until((s) => s.stage === 'application');
  await driven.act(() =>
    handle.executeUpdate(actions.submitApplication.update, {
      args: [{ actor: applicant, application: APPLICATION }],
    }),
  );
  await driven.until((s) => s.stage === 'review' && !!s.review.credit);
  return handle;
}

/** Parks a baseline workflow where the enrollment waits for a decision: claimed, credit in. */
async function parkBaseline(client: Client, taskQueue: string, workflowId: string): Promise<WorkflowHandle> {
  const calls = noCalls();
  const handle = await startBaseline(client, taskQueue, workflowId, calls);
  const driven = new Driven(client, baselineSubject(handle), calls);
  for (const step of baselineSteps(handle).slice(0, 3)) {
    await driven.until(step.ready!);
    await driven.act(() => step.act(undefined));
  }
  return handle;
}

/**
 * Decision to visible stage with nothing else running, against the engine's floor: parks `count`
 * enrollments in review and as many baseline workflows where the enrollment waits (each worker
 * keeps its own cached), then times one decision at a time, the enrollment's and the baseline's in
 * turn, so that the machine's drift over the phase touches both alike. Each is the decision's
 * update, then status queries until the next stage shows — the same update and read as inside a run.
 */
export async function decisionsInTurn(
  client: Client,
  queues: { enrollment: string; baseline: string },
  run: string,
  count: number,
  firstIndex: number,
): Promise<{ enrollment: DecisionTimes; floor: DecisionTimes }> {
  const [enrollments, baselines] = await Promise.all([
    Promise.all(
      Array.from({ length: count }, (_, i) => parkInReview(client, queues.enrollment, run, firstIndex + i)),
    ),
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        parkBaseline(client, queues.baseline, `baseline-decision-${run}-${i}`),
      ),
    ),
  ]);
  const enrollment = new DecisionClock();
  const floor = new DecisionClock();
  for (let i = 0; i < count; i++) {
    await enrollment.time(await enrollmentDecision(client, enrollments[i]));
    await floor.time(await baselineDecision(client, baselines[i]));
  }
  await Promise.all([...enrollments, ...baselines].map((handle) => handle.terminate('bench over')));
  return { enrollment: enrollment.times, floor: floor.times };
}

/** Claims the review (untimed); returns the decision to time. */
async function enrollmentDecision(client: Client, handle: WorkflowHandle): Promise<() => Promise<number>> {
  await handle.executeUpdate(actions.claimReview.update, { args: [{ actor: reviewer }] });
  return timedDecision(new Driven(client, enrollmentSubject(handle), noCalls()), () =>
    handle.executeUpdate(actions.decideReview.update, {
      args: [{ actor: reviewer, decision: 'approve' }],
    }),
  );
}

async function baselineDecision(client: Client, handle: WorkflowHandle): Promise<() => Promise<number>> {
  return timedDecision(new Driven(client, baselineSubject(handle), noCalls()), () =>
    handle.executeUpdate(baselineStep, { args: ['decide'] }),
  );
}

/**
 * Reads the history so far (untimed); returns the decision: its update, then reads until the stage
 * is past review. It answers when the update had answered.
 */
async function timedDecision<View>(
  driven: Driven<View>,
  decide: () => Promise<unknown>,
): Promise<() => Promise<number>> {
  await driven.prime();
  return async () => {
    await driven.act(decide);
    const updated = Date.now();
    await driven.until((view) => driven.subject.stage(view) !== 'review');
    return updated;
  };
}

/** Decisions one at a time: each one's whole time, and the part its update took before the reads. */
export interface DecisionTimes {
  totalMs: number[];
  updateMs: number[];
}

/** Times decisions one at a time: each one's whole time, and the part until its update answered. */
class DecisionClock {
  readonly times: DecisionTimes = { totalMs: [], updateMs: [] };

  async time(decision: () => Promise<number>): Promise<void> {
    const started = Date.now();
    const updated = await decision();
    this.times.totalMs.push(Date.now() - started);
    this.times.updateMs.push(updated - started);
  }
}
