/**
 * Whether the flow is between two steps: an activity other than those beside it (emails, audit
 * writes) or the wait for provisioning is in flight, or a wait of the flow is over and the flow
 * has not gone on yet. The status memo is published only when it is not (./status-memo): readers
 * check the first against the run's pending activities (src/client/status.ts); the second keeps a
 * task that ends a wait (a decision) from publishing before the flow has started its next step.
 *
 * Activities are counted by the workflow's outbound interceptor (./interceptors) as they are
 * scheduled and settle; waits register with `flowWaits` (./waiting). Module state is the
 * workflow's own: every workflow evaluates its own copy of this module. None of it issues a
 * command, so it changes nothing in a history.
 */
import { MEMO_CURRENT_WHILE } from './definitions';

let inFlight = 0;
const waits = new Set<() => boolean>();

export function trackActivity(activityType: string, settled: Promise<unknown>): void {
  if (MEMO_CURRENT_WHILE.includes(activityType)) return;
  inFlight += 1;
  const done = () => {
    inFlight -= 1;
  };
  void settled.then(done, done);
}

/** The flow waits until `over` holds; returns what to call when it goes on. */
export function flowWaits(over: () => boolean): () => void {
  waits.add(over);
  return () => waits.delete(over);
}

export function stepInFlight(): boolean {
  if (inFlight > 0) return true;
  // Evaluated at every pass over the conditions: no copy of the set.
  for (const over of waits) if (over()) return true;
  return false;
}
