/**
 * Incidents instead of failed endings: a step whose retries are exhausted (Partner Center down for
 * a day, provisioning failing its attempts) does not end the enrollment. It stays at that step,
 * marked with the `CspIncident` search attribute, the program's operators are emailed (and
 * reminded), and it waits for one of them to run the step again or end the enrollment.
 */
import { ActivityFailure, isCancellation, upsertSearchAttributes } from '@temporalio/workflow';
import { durationMs } from '../domain/enrollment';
import { iso, type Enrollment } from './context';
import { searchAttributes } from './definitions';
import { failed } from './ending';
import { failureCauseOf } from '../domain/failure-causes';
import { isBusinessRefusal, stepFailure } from './failures';
import { metrics } from './metrics';
import { waitFor } from './waiting';

/**
 * Runs one step of the flow (an activity call). If it fails for good, an incident opens and the
 * step runs again once an operator says so; business refusals and withdrawals pass through.
 */
export async function inStep<T>(e: Enrollment, step: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    // Continued as new while an incident waited: it still waits.
    if (e.status.incident?.step === step) await awaitOperator(e);
    try {
      return await run();
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ActivityFailure) || isBusinessRefusal(error))
        throw error;
      await holdForOperator(e, step, stepFailure(error));
    }
  }
}

/**
 * Opens an incident at `step` (unless it is open already: continued as new while it waited) and
 * waits: returns when an operator retries, throws Ended when they end the enrollment.
 */
export async function holdForOperator(e: Enrollment, step: string, reason: string): Promise<void> {
  const { status } = e;
  if (status.incident?.step === step) return awaitOperator(e);
  const openedAt = iso();
  status.incident = { step, reason, openedAt };
  upsertSearchAttributes([{ key: searchAttributes.incident, value: step }]);
  metrics.failure(step);
  e.audit('system', 'incident opened', `${step}: ${reason}`, 'refused');
  e.mail.send(`incident-${step}-${Date.parse(openedAt)}`, 'incident-opened', 'operators', { step, reason });
  await awaitOperator(e);
}

async function awaitOperator(e: Enrollment): Promise<void> {
  const { status, pending, policy } = e;
  const incident = status.incident!;
  const every = durationMs(policy.incidents.remindEvery);
  const opened = Date.parse(incident.openedAt);
  const days = () => Math.floor((Date.now() - opened) / 86_400_000);
  await waitFor(() => !!pending.incidentAction, {
    summary: `Incident at ${incident.step}: wait for an operator`,
    historyFull: () => e.historyFull(),
    onWait: e.onWait,
    alarms: [
      {
        clock: e.reminderClock(`incident-${opened}`),
        firstAt: opened + every,
        every,
        fire: (n) =>
          e.mail.send(`incident-${incident.step}-${opened}-${n}`, 'incident-opened', 'operators', {
            step: incident.step,
            reason: incident.reason,
            waitingDays: days(),
          }),
      },
    ],
  });
  const action = pending.incidentAction!;
  pending.incidentAction = undefined;
  status.incident = undefined;
  (status.incidents ??= []).push({
    ...incident,
    closedAt: iso(),
    closedBy: action.by,
    action: action.action,
    note: action.reason,
  });
  upsertSearchAttributes([{ key: searchAttributes.incident, value: null }]);
  // The applicant hears which part of the guide failed and the operator's words; the step's
  // technical reason stays in the closed incident.
  if (action.action === 'end') throw failed(failureCauseOf(incident.step), action.reason);
}
