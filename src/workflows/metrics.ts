/**
 * The service's own Prometheus metrics, emitted from the workflow through the SDK's metric meter
 * (which stays silent during replay, so nothing is counted twice). Labels carry no personal data.
 */
import { metricMeter } from '@temporalio/workflow';

const started = metricMeter.createCounter('csp_enrollments_started', 'enrollments', 'Enrollments started');
const stages = metricMeter.createCounter(
  'csp_enrollment_stage_entered',
  'enrollments',
  'Stage entries, by stage',
);
const ended = metricMeter.createCounter(
  'csp_enrollments_ended',
  'enrollments',
  'Enrollments ended, by end state',
);
const decisions = metricMeter.createCounter(
  'csp_review_decisions',
  'decisions',
  'Review decisions, by decision',
);
const reminders = metricMeter.createCounter(
  'csp_reminders_sent',
  'reminders',
  'Reminders and escalations, by kind',
);
const failures = metricMeter.createCounter(
  'csp_step_failures',
  'failures',
  'Steps that failed for good, by step',
);

export const metrics = {
  started: () => started.add(1),
  stage: (stage: string) => stages.add(1, { stage }),
  ended: (endState: string) => ended.add(1, { end_state: endState }),
  decision: (decision: string) => decisions.add(1, { decision }),
  reminder: (kind: string) => reminders.add(1, { kind }),
  failure: (step: string) => failures.add(1, { step }),
};
