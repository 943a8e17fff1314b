/**
 * Waiting for people, for weeks: a condition with a deadline, periodic reminders and an optional
 * one-off escalation. Each wake-up is one timer; the caller audits what fired.
 */
import { condition } from '@temporalio/workflow';

export interface WaitPlan {
  /** Shown on the timer in Temporal UI. */
  summary: string;
  deadline: number;
  remindEvery: number;
  onReminder: (count: number) => Promise<void>;
  escalateAt?: number;
  onEscalation?: () => Promise<void>;
}

/** Resolves true when `done` holds, false when the deadline passed first. */
export async function waitWithReminders(done: () => boolean, plan: WaitPlan): Promise<boolean> {
  let reminders = 0;
  let nextReminder = Date.now() + plan.remindEvery;
  let escalateAt = plan.escalateAt;
  for (;;) {
    const wakeAt = Math.min(plan.deadline, nextReminder, escalateAt ?? Infinity);
    if (await condition(done, Math.max(wakeAt - Date.now(), 1), { summary: plan.summary })) return true;
    const now = Date.now();
    if (now >= plan.deadline) return false;
    if (escalateAt !== undefined && now >= escalateAt) {
      escalateAt = undefined;
      await plan.onEscalation?.();
    }
    if (now >= nextReminder) {
      nextReminder += plan.remindEvery;
      await plan.onReminder(++reminders);
    }
  }
}
