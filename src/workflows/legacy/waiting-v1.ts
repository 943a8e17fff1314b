/**
 * Waiting for people, for weeks: a condition with a deadline, periodic reminders and an optional
 * one-off escalation. Each wake-up is one timer; the caller audits what fired. Waits are where an
 * enrollment may continue as new, so their reminder count and next reminder time live in a
 * `ReminderClock` that travels with the enrollment's state.
 */
import { condition } from '@temporalio/workflow';

export interface ReminderClock {
  sent: number;
  nextAt?: number;
}

export interface WaitPlan {
  /** Shown on the timer in Temporal UI. */
  summary: string;
  deadline: number;
  remindEvery: number;
  clock: ReminderClock;
  onReminder: (count: number) => Promise<void>;
  escalateAt?: number;
  onEscalation?: () => Promise<void>;
  /** True when history has grown enough that the enrollment should continue as new. */
  historyFull: () => boolean;
}

/** Thrown out of a wait when the enrollment should continue as new before waiting further. */
export class ContinueAsNewNeeded extends Error {
  override readonly name = 'ContinueAsNewNeeded';
}

/** Resolves true when `done` holds, false when the deadline passed first. */
export async function waitWithReminders(done: () => boolean, plan: WaitPlan): Promise<boolean> {
  const { clock } = plan;
  clock.nextAt ??= Date.now() + plan.remindEvery;
  let escalateAt = plan.escalateAt;
  for (;;) {
    const wakeAt = Math.min(plan.deadline, clock.nextAt, escalateAt ?? Infinity);
    const woken = await condition(() => done() || plan.historyFull(), Math.max(wakeAt - Date.now(), 1), {
      summary: plan.summary,
    });
    if (done()) return true;
    if (woken) throw new ContinueAsNewNeeded(plan.summary);
    const now = Date.now();
    if (now >= plan.deadline) return false;
    if (escalateAt !== undefined && now >= escalateAt) {
      escalateAt = undefined;
      await plan.onEscalation?.();
    }
    if (now >= clock.nextAt) {
      clock.nextAt += plan.remindEvery;
      await plan.onReminder(++clock.sent);
    }
  }
}
