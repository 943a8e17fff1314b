/**
 * The enrollment workflow's interceptors, bundled with it (src/worker/bundle.ts): the API request
 * an action came from reaches the workflow's log lines and the activities it starts.
 *
 * The request ID of an update, signal or start (its header, src/workflows/request-ids.ts) is on
 * every log line of the workflow task that handles it, and goes as a header to the activities that
 * task starts; the next task starts without one. Only log lines and activity headers change, never
 * a command, so histories recorded before (without the header) replay as they ran. The activities
 * in flight are counted for the status memo (./steps-in-flight).
 */
import { log, type WorkflowInterceptors, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { requestIdHeader, requestIdIn } from './request-ids';
import { trackActivity } from './steps-in-flight';

export const interceptors: WorkflowInterceptorsFactory = (): WorkflowInterceptors => {
  /** The request the current workflow task acts on; one per workflow, as the factory is. */
  let requestId: string | undefined;
  const actingOn = (id: string | undefined) => {
    if (id) requestId = id;
    return id;
  };
  return {
    inbound: [
      {
        execute(input, next) {
          const id = actingOn(requestIdIn(input.headers));
          if (id) log.info('started on request', { requestId: id });
          return next(input);
        },
        handleSignal(input, next) {
          const id = actingOn(requestIdIn(input.headers));
          log.info('signal received', { signal: input.signalName, ...(id ? { requestId: id } : {}) });
          return next(input);
        },
        handleUpdate(input, next) {
          // Kept for the lines below: the handler may finish in a later task. (The SDK adds the
          // update's name and ID to each line.)
          const id = actingOn(requestIdIn(input.headers));
          const request = id ? { requestId: id } : {};
          log.info('update accepted', request);
          const handled = next(input);
          // The handler's own promise goes back untouched: awaiting it here would complete the
          // update a few microtasks later, after commands it used to precede, and break replay.
          void handled.then(
            () => log.info('update completed', request),
            // The failure's type only: its message may quote the applicant's input.
            (error: unknown) =>
              log.warn('update failed', { ...request, failure: (error as Error)?.name ?? 'error' }),
          );
          return handled;
        },
      },
    ],
    outbound: [
      {
        getLogAttributes: (attributes, next) => next(requestId ? { ...attributes, requestId } : attributes),
        scheduleActivity: (input, next) => {
          const result = next(
            requestId ? { ...input, headers: { ...input.headers, ...requestIdHeader(requestId) } } : input,
          );
          trackActivity(input.activityType, result);
          return result;
        },
        scheduleLocalActivity: (input, next) =>
          next(
            requestId ? { ...input, headers: { ...input.headers, ...requestIdHeader(requestId) } } : input,
          ),
      },
    ],
    internals: [
      {
        concludeActivation(input, next) {
          requestId = undefined;
          return next(input);
        },
      },
    ],
  };
};
