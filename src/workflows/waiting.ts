/**
 * Waiting for people, for weeks: a condition, an optional deadline, and alarms (reminders,
 * escalations, notes to the applicant) that fire once or repeatedly. Each wake-up is one timer.
 * Alarms only record and start emails (which go beside the flow), so a decision that arrives while
 * one fires is seen at once. Waits are where an enrollment may continue as new, so each alarm's
 * count and next time live in a `ReminderClock` that travels with the enrollment's state.
 */
import { condition } from '@temporalio/workflow';
import { follows } from './edition';
import { flowWaits } from './steps-in-flight';

/**
 * Since this patch an alarm never fires to catch up on times it missed: a fresh clock whose first
 * time has passed (a review moved from the earlier flow, 20 days old) and a repeating one woken
 * late are set to their next time still ahead. Before, each missed time fired, 1 ms apart.
 */
const ALARMS_NEVER_BURST = 'alarms-never-burst';

export interface ReminderClock {
  sent: number;
  nextAt?: number;
}

export interface Alarm {
  clock: ReminderClock;
  /** When it first fires (used only if the clock has no next time yet). */
  firstAt: number;
  /** Repeats this often; once when absent. */
  every?: number;
  fire(count: number): void;
}

export interface WaitPlan {
  /** Shown on the timer in Temporal UI. */
  summary: string;
  /** The wait gives up then (read again when `version` changes); none: it waits until done. */
  deadline?: number | (() => number);
  /** Changes when a deadline or alarm moved (an operator extended it): the wait recomputes its timer. */
  version?: () => number;
  alarms: Alarm[];
  /** True when history has grown enough that the enrollment should continue as new. */
  historyFull: () => boolean;
  /** Told when the wait starts blocking (true) and when it wakes (false): the audit trail writes then. */
  onWait?: (waiting: boolean) => void;
}

/** Thrown out of a wait when the enrollment should continue as new before waiting further. */
export class ContinueAsNewNeeded extends Error {
  override readonly name = 'ContinueAsNewNeeded';
}

/** Resolves true when `done` holds, false when the deadline passed first. */
export async function waitFor(done: () => boolean, plan: WaitPlan): Promise<boolean> {
  // A one-off alarm that fired is spent; only fresh clocks are armed.
  for (const alarm of plan.alarms)
    if (alarm.clock.sent === 0 && alarm.clock.nextAt === undefined)
      alarm.clock.nextAt = notBefore(alarm.firstAt, alarm.every, Date.now());
  const deadlineNow = () =>
    typeof plan.deadline === 'function' ? plan.deadline() : (plan.deadline ?? Infinity);
  for (;;) {
    const version = plan.version?.();
    const moved = () => plan.version !== undefined && plan.version() !== version;
    const nextAlarm = Math.min(...plan.alarms.map((alarm) => alarm.clock.nextAt ?? Infinity));
    const wakeAt = Math.min(deadlineNow(), nextAlarm);
    const satisfied = () => done() || plan.historyFull() || moved();
    plan.onWait?.(true);
    const leave = flowWaits(satisfied);
    let woken: boolean;
    try {
      woken =
        wakeAt === Infinity
          ? await condition(satisfied).then(() => true)
          : await condition(satisfied, Math.max(wakeAt - Date.now(), 1), { summary: plan.summary });
    } finally {
      leave();
      plan.onWait?.(false);
    }
    if (done()) return true;
    if (woken && moved()) continue;
    if (woken) throw new ContinueAsNewNeeded(plan.summary);
    const now = Date.now();
    if (now >= deadlineNow()) return false;
    for (const alarm of plan.alarms) {
      const { clock } = alarm;
      if (clock.nextAt === undefined || now < clock.nextAt) continue;
      clock.sent += 1;
      // A repeating alarm keeps its cadence; a one-off one is spent.
      clock.nextAt = alarm.every ? notBefore(clock.nextAt + alarm.every, alarm.every, now) : undefined;
      alarm.fire(clock.sent);
    }
  }
}

/**
 * `at`, or when it has passed, the first time of its cadence (`every`) that has not: a repeating
 * alarm skips what it missed instead of firing once per missed time. A one-off alarm that is due
 * fires once, now.
 */
function notBefore(at: number, every: number | undefined, now: number): number {
  if (at >= now || !every || !follows(ALARMS_NEVER_BURST)) return at;
  return at + Math.ceil((now - at) / every) * every;
}
