/**
 * How a person's action reaches the enrollment. Each action has a zod schema, a rule that says why
 * it is refused in the current state (if it is), and an effect. The same rule guards the update's
 * validator (the caller learns of a refusal, history is untouched) and the signal (the refusal is
 * recorded in the audit trail and nothing else changes). Stages register the actions they own.
 */
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import { isUnsealed, UNSEALED_FIELD } from '../codec/unsealed';
import { describeIssues, type Actor } from '../domain/actions';
import type { Stage } from '../domain/status';
import type { Enrollment } from './context';
import type { ActionResult } from './definitions';
export { STEP_FAILED } from './definitions';

export interface ActionRule<I> {
  schema: z.ZodType<I>;
  /** Why the action is refused now, or undefined when it may go ahead. Must not change anything. */
  refusal(input: I): string | undefined;
  /** Applies the action; returns a message for the caller. */
  apply(input: I): Promise<string> | string;
}

export const who = (actor: Actor) => `${actor.role}:${actor.id}`;

export function defineAction<I>(
  e: Enrollment,
  name: string,
  definition: { update: UpdateDefinition<ActionResult, [I]>; signal: SignalDefinition<[I]> },
  rule: ActionRule<I>,
): void {
  const check = (raw: unknown): { input?: I; refusal?: string } => {
    if (isUnsealed(raw)) return { refusal: raw[UNSEALED_FIELD] };
    const parsed = rule.schema.safeParse(raw);
    if (!parsed.success) return { refusal: `invalid ${name}: ${describeIssues(parsed.error)}` };
    return { input: parsed.data, refusal: rule.refusal(parsed.data) };
  };
  const run = async (input: I): Promise<ActionResult> => {
    const message = await rule.apply(input);
    return { stage: e.status.stage, message };
  };

  setHandler(
    definition.update,
    async (raw: I) => {
      // The validator has passed; parsing again gives the schema's defaults and transforms.
      const { input } = check(raw);
      return run(input as I);
    },
    {
      validator: (raw: I) => {
        const { refusal } = check(raw);
        if (refusal)
          throw ApplicationFailure.create({ type: 'ActionRefused', message: refusal, nonRetryable: true });
      },
    },
  );
  setHandler(definition.signal, async (raw: I) => {
    const { input, refusal } = check(raw);
    if (refusal) {
      const actor = (raw as { actor?: Partial<Actor> } | undefined)?.actor;
      const named = typeof actor?.id === 'string' && typeof actor.role === 'string';
      e.audit(named ? `${actor.role}:${actor.id}` : 'unknown', `${name} (signal)`, refusal, 'refused');
      return;
    }
    // A signal has nobody to answer: a failed step is recorded, not thrown at the workflow.
    await run(input as I).catch((error: unknown) =>
      e.audit(who((input as { actor: Actor }).actor), `${name} (signal)`, String(error), 'refused'),
    );
  });
}

/** Common refusals. */
export function rules(e: Enrollment) {
  const { status } = e;
  const ended = () => (status.stage === 'ended' ? 'the enrollment has ended' : undefined);
  return {
    ended,
    stageIs: (...stages: Stage[]) =>
      ended() ?? (stages.includes(status.stage) ? undefined : `not possible in stage ${status.stage}`),
    /** The applicant's own actions; an operator may act for them. */
    applicantOnly: (actor: Actor) =>
      actor.role === 'applicant' || actor.role === 'operator'
        ? undefined
        : `a ${actor.role} cannot act for the applicant`,
  };
}
