/**
 * Plays the applicant and the reviewer of one enrollment through the Temporal client while
 * faults happen around it. Every call is retried until a deadline: a server restart or a killed
 * worker makes calls fail for a while, and that is the point. Updates carry a fixed update ID
 * per step, so a retried update whose first answer was lost gets that answer instead of running
 * twice (Temporal deduplicates updates by ID).
 */
import {
  ActivityFailure,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import type { Actor } from '../../../src/domain/actions';
import type { EnrollmentRequestInput } from '../../../src/domain/enrollment';
import { agreementOffered, type EnrollmentStatus } from '../../../src/domain/status';
import type { Simulator } from '../../../src/integrations/simulator';
import { actions, statusQuery, type ActionName } from '../../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../../fixtures';
import { start } from '../../harness/driver';

export type PolicyInput = NonNullable<EnrollmentRequestInput['policy']>;

export interface Enrollment {
  index: number;
  mobile: string;
  request: EnrollmentRequestInput;
  handle?: WorkflowHandle;
}

export interface Outcome {
  enrollment: Enrollment;
  endState?: string;
  error?: string;
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
        organization: { ...base.organization, domainPrefix: `fault-${run}-${index}` },
        globalAdmin: { ...base.globalAdmin, mobile },
      },
    };
  });
}

/** Runs every enrollment to its end concurrently; failures become outcomes, never exceptions. */
export function playAll(context: PlayContext, list: Enrollment[]): Promise<Outcome[]> {
  return Promise.all(
    list.map((enrollment) =>
      play(context, enrollment).then(
        (endState) => ({ enrollment, endState }),
        (error: unknown) => ({ enrollment, error: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
}

async function play(context: PlayContext, enrollment: Enrollment): Promise<string> {
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
  const until = (what: string, predicate: (s: EnrollmentStatus) => boolean) =>
    retry(what, async () => {
      const status = await handle.query(statusQuery);
      if (status.stage === 'ended' || predicate(status)) return status;
      throw new Error(`not yet: ${what} (stage ${status.stage})`);
    });
  // A step that failed inside the update (the phone code check during a simulator outage) is
  // sent again as a new update after a pause, as an applicant would; a refusal stays final.
  const update = async (name: ActionName, input: object) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await retry(name, () =>
          handle.executeUpdate(actions[name].update as never, {
            args: [input as never],
            updateId: `${handle.workflowId}/${name}/${attempt}`,
          }),
        );
      } catch (error) {
        if (!(error instanceof StepFailed) || Date.now() > deadline) throw error;
        await delay(2000);
      }
    }
  };

  if (enrollment.request.policy?.phoneVerification?.required !== false) {
    await until('the SMS code', (s) => s.phoneVerification.codesSent > 0);
    const code = context.simulator.sentCodes(enrollment.mobile).at(-1)?.code;
    if (code) await update('submitPhoneCode', { actor: applicant, code });
  }
  await until('application stage', (s) => s.stage === 'application');
  await update('submitApplication', { actor: applicant, application: cspApplication() });
  await until('review with credit', (s) => s.stage === 'review' && !!s.review.credit);
  await update('claimReview', { actor: reviewer satisfies Actor });
  await update('decideReview', { actor: reviewer, decision: 'approve' });
  const offered = await until('the agreement offer', agreementOffered);
  await update('acceptAgreement', {
    actor: applicant,
    agreementVersion: offered.agreement.version,
    textDigest: offered.agreement.textDigest,
  });
  return retry('the result', async () => {
    try {
      return (await handle.result()).endState;
    } catch (error) {
      if (error instanceof WorkflowFailedError) return `failed: ${error.cause?.message ?? error.message}`;
      throw error;
    }
  });
}

class StepFailed extends Error {}

/** Calls `fn` until it succeeds or the deadline passes; a refused update is final. */
async function retrying<T>(what: string, deadline: number, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ActivityFailure)
        throw new StepFailed(`${what} failed: ${error.cause.message}`);
      if (error instanceof WorkflowUpdateFailedError)
        throw new Error(`${what} refused: ${error.cause?.message ?? error.message}`);
      if (Date.now() > deadline)
        throw new Error(`${what}: gave up: ${error instanceof Error ? error.message : String(error)}`);
      await delay(200);
    }
  }
}
