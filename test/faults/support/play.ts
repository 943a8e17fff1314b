/**
 * Plays the applicant and the reviewer of one enrollment through the Temporal client while
 * faults happen around it. Every call is retried until a deadline: a server restart or a killed
 * worker makes calls fail for a while, and that is the point. Updates carry a fixed update ID
 * per step, so a retried update whose first answer was lost gets that answer instead of running
 * twice (Temporal deduplicates updates by ID).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Actor } from '../../../src/domain/actions';
import type { EnrollmentRequestInput } from '../../../src/domain/enrollment';
import { agreementOffered, codeArrived, type EnrollmentStatus } from '../../../src/domain/status';
import type { Simulator } from '../../../src/stand-ins/simulator';
import { STEP_FAILED, actions, type ActionInputs, type ActionName } from '../../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../../fixtures';
import { repairFailingRun } from '../../../src/cli/operations';
import { readEnrollmentStatus } from '../../../src/client/status';
import { start } from '../../harness/driver';

export type PolicyInput = NonNullable<EnrollmentRequestInput['policy']>;

export interface Enrollment {
  index: number;
  mobile: string;
  request: EnrollmentRequestInput;
  handle?: WorkflowHandle;
  repairs?: number;
}

export interface Outcome {
  enrollment: Enrollment;
  endState?: string;
  error?: string;
  /** When the reviewer's approval was sent, and how long until its answer showed the next stage. */
  decision?: { at: number; ms: number };
  /** Times the operator repaired the run (its workflow task failed at every attempt). */
  repairs?: number;
}

export interface PlayContext {
  client: Client;
  taskQueue: string;
  simulator: Simulator;
  /** Give up on an enrollment after this long (it then counts as lost). */
  deadlineMs: number;
}

/** N enrollments of distinct organizations, each with its own +86 mobile so its SMS can be read. */
export function enrollments(n: number, policy: PolicyInput, run = Date.now() % 100_000): Enrollment[] {
  return Array.from({ length: n }, (_, index) => {
    const mobile = `+86139${String(run).padStart(5, '0')}${String(index).padStart(3, '0')}`;
    const base = enrollmentRequest({ policy });
    return {
      index,
      mobile,
      request: {
        ...base,
        organization: {
          ...base.organization,
          phone: mobile,
          workAccount: { kind: 'new', domainPrefix: `fault-${run}-${index}` },
        },
      },
    };
  });
}

/** Runs every enrollment to its end concurrently; failures become outcomes, never exceptions. */
export function playAll(context: PlayContext, list: Enrollment[]): Promise<Outcome[]> {
  return Promise.all(
    list.map((enrollment) =>
      play(context, enrollment).then(
        ({ endState, decision }) => ({ enrollment, endState, decision, repairs: enrollment.repairs }),
        async (error: unknown) => ({
          enrollment,
          error: `${error instanceof Error ? error.message : String(error)} [${await diagnose(context.client, enrollment)}]`,
          repairs: enrollment.repairs,
        }),
      ),
    ),
  );
}

async function play(
  context: PlayContext,
  enrollment: Enrollment,
): Promise<{ endState: string; decision?: Outcome['decision'] }> {
  const deadline = Date.now() + context.deadlineMs;
  const retry = <T>(what: string, fn: () => Promise<T>) => retrying(what, deadline, fn);
  const handle = await retry('start', async () => {
    try {
      return await start(context.client, context.taskQueue, enrollment.request);
    } catch (error) {
      // A start whose answer was lost: the workflow runs, take its handle.
      if (error instanceof Error && error.name === 'EnrollmentAlreadyRunning')
        return context.client.workflow.getHandle((error as Error & { enrollmentId: string }).enrollmentId);
      throw error;
    }
  });
  enrollment.handle = handle;
  // The operator's part: a run whose workflow task fails at every attempt is repaired (see
  // repairFailingRun for the SDK defect a killed worker can leave behind), a few times at most.
  // It shows as "Workflow Task in failed state", or as steps unanswered for a long while (no task
  // of the run completes to answer them); repairFailingRun refuses a run not failing.
  let unansweredSince: number | undefined;
  const repairIfFailing = async (error: unknown) => {
    const why = describeError(error);
    const unanswered = /DEADLINE_EXCEEDED/.test(why);
    if (unanswered) unansweredSince ??= Date.now();
    const failing =
      /Workflow Task in failed state/.test(why) ||
      (unanswered && Date.now() - unansweredSince! > UNANSWERED_BEFORE_REPAIR_MS);
    if (!failing || (enrollment.repairs ?? 0) >= 3) return;
    try {
      await bounded(() =>
        repairFailingRun(context.client, handle.workflowId, 'fault suite: workflow task failing'),
      );
      enrollment.repairs = (enrollment.repairs ?? 0) + 1;
      unansweredSince = undefined;
    } catch {
      // Not failing after all (a slow answer), or its task completed meanwhile.
    }
  };
  // Every call has a deadline of its own (an update's answer is polled for until it comes, and a
  // reset run's never does): a call that outlives it is sent again, the enrollment's deadline holds.
  const bounded = <T>(fn: () => Promise<T>) =>
    context.client.withDeadline(Math.min(deadline, Date.now() + CALL_DEADLINE_MS), fn);
  // The status as applicants and reviewers read it (the API, the console, the CLI): from the
  // run's memo by describe(), which the server answers without a worker. A query to a run whose
  // worker was killed could go unanswered for minutes (CI, 2026-12-04: no task pending, no
  // activity, every query DEADLINE_EXCEEDED until the suite's deadline); the memo is current once
  // an update is answered (it is upserted in the task that answers it). Only an answered update
  // shows the run's tasks complete again.
  const current = () =>
    retry('the status', () =>
      bounded(() => readEnrollmentStatus(handle)).catch(async (error: unknown) => {
        await repairIfFailing(error);
        throw error;
      }),
    );
  // One send of a step: retried under the same update ID until it is answered (a retried update
  // whose first answer was lost gets that answer instead of running twice); each send its own ID.
  // A send with no answer for a while is given up and the status read again, as a person would:
  // the enrollment may have gone on without the answer reaching us (a server restart lost it).
  let sends = 0;
  const send = async <N extends ActionName>(name: N, input: ActionInputs[N]) => {
    const updateId = `${handle.workflowId}/${name}/${++sends}`;
    const giveUpAt = Math.min(deadline, Date.now() + SEND_PATIENCE_MS);
    try {
      return await retrying(name, giveUpAt, () =>
        bounded(() => handle.executeUpdate(actions[name].update, { args: [input], updateId })).then(
          (answer) => {
            unansweredSince = undefined;
            return answer;
          },
          async (error: unknown) => {
            await repairIfFailing(error);
            throw error;
          },
        ),
      );
    } catch (error) {
      if (error instanceof StepFailed || error instanceof Refused || Date.now() > deadline) throw error;
      throw new Refused(`${name}: no answer (${describeError(error)})`);
    }
  };

  // The applicant and the reviewer act on the stage they see, as people do: a run an operator
  // repaired may show a stage again (its last task decided afresh), and they do that step again.
  // A step that failed inside the update (the phone code check during a simulator outage) is sent
  // again after a pause; a refusal (the status read was behind) is read again and acted on.
  let decision: Outcome['decision'];
  let lastRefusal = '';
  for (let status = await current(); status.stage !== 'ended';) {
    if (Date.now() > deadline)
      throw new Error(
        `gave up in stage ${status.stage}${lastRefusal ? `; last refusal: ${lastRefusal}` : ''}`,
      );
    try {
      if (!(await nextStep(status))) await delay(200);
    } catch (error) {
      if (error instanceof StepFailed) await delay(2000);
      else if (error instanceof Refused) {
        lastRefusal = error.message;
        await delay(500);
      } else throw error;
    }
    status = await current();
  }

  /** Sends what the status asks of the applicant or the reviewer, if anything; whether it did. */
  async function nextStep(status: EnrollmentStatus): Promise<boolean> {
    if (codeArrived(status)) {
      const code = context.simulator.sentCodes(enrollment.mobile).at(-1)?.code;
      return !!code && !!(await send('submitPhoneCode', { actor: applicant, code }));
    }
    if (status.stage === 'application')
      return !!(await send('submitApplication', { actor: applicant, application: cspApplication() }));
    if (status.stage === 'review' && status.review.credit && !status.review.assignee)
      return !!(await send('claimReview', { actor: reviewer satisfies Actor }));
    if (status.stage === 'review' && status.review.credit) {
      // The approval's answer carries the stage it led to: decision to visible is its round trip.
      const decidedAt = Date.now();
      const approved = await send('decideReview', { actor: reviewer, decision: 'approve' });
      if (approved.stage === 'agreement') decision ??= { at: decidedAt, ms: Date.now() - decidedAt };
      return true;
    }
    if (agreementOffered(status))
      return !!(await send('acceptAgreement', {
        actor: applicant,
        // Both are set once the agreement is offered.
        agreementVersion: status.agreement.version!,
        textDigest: status.agreement.textDigest!,
        signerEmail: status.globalAdmin!.email,
      }));
    return false;
  }
  // The current run's result: a repaired enrollment's first run ended when it was reset.
  const latest = context.client.workflow.getHandle(handle.workflowId);
  const endState = await retry('the result', async () => {
    try {
      return (await bounded(() => latest.result())).endState;
    } catch (error) {
      if (error instanceof WorkflowFailedError) return `failed: ${error.cause?.message ?? error.message}`;
      throw error;
    }
  });
  return { endState, decision };
}

const CALL_DEADLINE_MS = 30_000;
const SEND_PATIENCE_MS = 60_000;
const UNANSWERED_BEFORE_REPAIR_MS = 45_000;

class StepFailed extends Error {}
class Refused extends Error {}

/**
 * Calls `fn` until it is answered or the deadline passes. A step that failed inside the update
 * (StepFailed) used nothing up; a refusal (Refused) says the status read before it was behind —
 * a run an operator repaired shows an earlier stage, an answer lost in a restart leaves the read
 * before it stale — both go back to the caller to read again.
 */
async function retrying<T>(what: string, deadline: number, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (
        error instanceof WorkflowUpdateFailedError &&
        (error.cause instanceof ActivityFailure ||
          (error.cause instanceof ApplicationFailure && error.cause.type === STEP_FAILED))
      )
        throw new StepFailed(`${what} failed: ${error.cause.message}`);
      if (error instanceof WorkflowUpdateFailedError)
        throw new Refused(`${what} refused: ${error.cause?.message ?? error.message}`);
      if (Date.now() > deadline) throw new Error(`${what}: gave up: ${describeError(error)}`);
      await delay(200);
    }
  }
}

const enums = temporal.api.enums.v1;

/**
 * What the server holds of a lost enrollment, for the failure message: its run's state, its
 * workflow task and activities under way, and its last events.
 */
async function diagnose(client: Client, enrollment: Enrollment): Promise<string> {
  if (!enrollment.handle) return 'never started';
  const handle = client.workflow.getHandle(enrollment.handle.workflowId);
  try {
    return await client.withDeadline(Date.now() + 20_000, async () => {
      const { raw, status, historyLength } = await handle.describe();
      const task = raw.pendingWorkflowTask;
      const activities = (raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name} attempt ${a.attempt} ${enums.PendingActivityState[a.state ?? 0]}`,
      );
      const { events } = await handle.fetchHistory();
      const last = (events ?? [])
        .slice(-4)
        .map((e) => `${String(e.eventId)} ${enums.EventType[e.eventType ?? 0]}`);
      return [
        `run ${status.name}, ${historyLength} events, repairs ${enrollment.repairs ?? 0}`,
        `workflow task ${task ? `${enums.PendingWorkflowTaskState[task.state ?? 0]} attempt ${task.attempt}` : 'none'}`,
        `activities ${activities.length ? activities.join(', ') : 'none'}`,
        `last events ${last.join(', ')}`,
      ].join('; ');
    });
  } catch (error) {
    return `describe failed: ${describeError(error)}`;
  }
}

/** An error and its causes on one line (the client's "Failed to query Workflow" says why only in its cause). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e && parts.length < 4; e = (e as { cause?: unknown }).cause)
    parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(': ');
}
