/**
 * What the program's operators do to a running enrollment, each audited with who and why: settle
 * an incident (run the failed step again, or end the enrollment), give the applicant more time
 * (move the current stage's deadline), send an undelivered email again.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { ExtendDeadline, ResendNotification, ResolveIncident, type Actor } from '../domain/actions';
import type { Stage } from '../domain/status';
import { defineAction, rules, who } from './actions';
import { iso, type Enrollment } from './context';
import { actions, searchAttributes } from './definitions';

/** Stages whose deadline is the applicant's, and so an operator's to move. */
const EXTENSIBLE: Stage[] = [
  'account-correction',
  'phone-verification',
  'application',
  'information-requested',
  'agreement',
  'getting-started',
];
/** These stages share the application's deadline (the enrollment's clock), not one of their own. */
const APPLICATION_DEADLINE: Stage[] = ['account-correction', 'phone-verification', 'application'];

export function registerOperations(e: Enrollment): void {
  const { status, pending } = e;
  const { ended } = rules(e);
  const operator = (actor: Actor, what: string) =>
    actor.role === 'operator' ? undefined : `only an operator can ${what}`;

  defineAction(e, 'resolveIncident', actions.resolveIncident, {
    schema: ResolveIncident,
    refusal: ({ actor }) =>
      operator(actor, 'settle an incident') ??
      ended() ??
      (!status.incident ? 'there is no open incident' : undefined) ??
      (pending.incidentAction ? 'the incident is being settled' : undefined),
    apply: ({ actor, action, reason }) => {
      const step = status.incident!.step;
      pending.incidentAction = { action, by: who(actor), reason };
      e.audit(
        who(actor),
        action === 'retry' ? 'incident: step run again' : 'incident: enrollment ended',
        `${step}: ${reason}`,
      );
      return action === 'retry' ? `${step} runs again` : 'the enrollment ends; the applicant is told';
    },
  });

  defineAction(e, 'extendDeadline', actions.extendDeadline, {
    schema: ExtendDeadline,
    refusal: ({ actor, until }) => {
      const current = status.dueAt ? Date.parse(status.dueAt) : undefined;
      return (
        operator(actor, 'extend a deadline') ??
        ended() ??
        (EXTENSIBLE.includes(status.stage) && current !== undefined
          ? undefined
          : `stage ${status.stage} has no deadline of the applicant's to extend`) ??
        (Date.parse(until) <= Math.max(current ?? 0, Date.now())
          ? `the new deadline must be later than the current one (${status.dueAt})`
          : undefined)
      );
    },
    apply: ({ actor, until, reason }) => {
      const at = Date.parse(until);
      const before = status.dueAt;
      if (APPLICATION_DEADLINE.includes(status.stage)) e.clock.applicationDeadline = at;
      status.dueAt = iso(at);
      upsertSearchAttributes([{ key: searchAttributes.dueAt, value: new Date(at) }]);
      e.deadlineVersion += 1;
      e.audit(who(actor), 'deadline extended', `${status.stage}: ${before} → ${status.dueAt}; ${reason}`);
      return `the ${status.stage} deadline is now ${status.dueAt}`;
    },
  });

  defineAction(e, 'resendNotification', actions.resendNotification, {
    schema: ResendNotification,
    refusal: ({ actor, key }) =>
      operator(actor, 'send an email again') ??
      (e.mail.isUndelivered(key) ? undefined : `no undelivered email with the key ${key}`),
    apply: ({ actor, key }) => {
      e.mail.resend(key);
      e.audit(who(actor), 'email sent again', key);
      return `email ${key} is being sent again`;
    },
  });
}
