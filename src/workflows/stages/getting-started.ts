/**
 * The guide's "Get started with Partner Center": the account-settings tasks that complete the
 * account's configuration (profiles, user accounts, catalog). Partner Center's own state says
 * which are done; the applicant is reminded weekly of what is left, with the guide's links. The
 * enrollment completes when all are done, or at the policy's deadline with what is left recorded;
 * the account is usable all along.
 */
import { durationMs } from '../../domain/enrollment';
import {
  GETTING_STARTED_TASKS,
  noTaskDone,
  tasksLeft,
  type GettingStartedTask,
} from '../../domain/getting-started';
import { withSummary } from '../activities';
import { inStep } from '../incidents';
import { iso, type Enrollment } from '../context';
import { waitFor } from '../waiting';

/** Resolves with the tasks still open (none when all were done in time). */
export async function getStarted(e: Enrollment): Promise<GettingStartedTask[]> {
  const { status, policy } = e;
  const progress = (status.gettingStarted ??= { tasks: noTaskDone() });
  if (status.stage !== 'getting-started')
    e.enterStage('getting-started', Date.now() + durationMs(policy.gettingStarted.deadline));
  const deadline = e.stageDeadline;
  const every = durationMs(policy.gettingStarted.reminderEvery);
  for (;;) {
    const { tasks } = await inStep(e, 'getAccountSettings', () =>
      withSummary(
        'getAccountSettings',
        'Read the account settings in Partner Center',
      )({
        partnerAccountId: status.account.partnerAccountId!,
      }),
    );
    for (const task of GETTING_STARTED_TASKS) {
      if (tasks[task] && !progress.tasks[task]) e.audit('system', 'getting-started task done', task);
      progress.tasks[task] = progress.tasks[task] || tasks[task];
    }
    progress.checkedAt = iso();
    const left = tasksLeft(progress.tasks);
    if (left.length === 0) {
      progress.completedAt = iso();
      e.audit('system', 'getting started complete');
      return [];
    }
    if (Date.now() >= deadline()) {
      progress.left = left;
      e.audit('system', 'getting started left unfinished', left.join(', '));
      return left;
    }
    await waitFor(() => false, {
      summary: 'Wait before reading the account settings again',
      deadline: Math.min(Date.now() + durationMs(policy.gettingStarted.pollEvery), deadline()),
      version: () => e.deadlineVersion,
      historyFull: () => e.historyFull(),
      onWait: e.onWait,
      alarms: [
        {
          clock: e.reminderClock('getting-started'),
          firstAt: Date.now() + every,
          every,
          fire: (n) => {
            e.audit('system', `getting-started reminder #${n} to the applicant`, left.join(', '));
            e.mail.send(`getting-started-reminder-${n}`, 'getting-started-reminder', 'applicant', {
              tasksLeft: tasksLeft(progress.tasks),
              dueAt: iso(deadline()),
            });
          },
        },
      ],
    });
  }
}
