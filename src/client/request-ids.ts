/**
 * The API request on whose behalf a client asks Temporal something: what the API's handlers start,
 * update or signal while handling a request carries its ID in a header (src/workflows/request-ids.ts),
 * so the workflow's and activities' log lines name the request. Outside a request nothing is added.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Headers } from '@temporalio/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { requestIdHeader } from '../workflows/request-ids';

const currentRequest = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it awaits) on behalf of the request `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return currentRequest.run(requestId, work);
}

const withCurrentRequest = (headers: Headers): Headers => {
  const requestId = currentRequest.getStore();
  return requestId ? { ...headers, ...requestIdHeader(requestId) } : headers;
};

/** The client interceptor every client of the service carries (src/config/temporal.ts). */
export const carryRequestId: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => next({ ...input, headers: withCurrentRequest(input.headers) }),
  signalWithStart: (input, next) => next({ ...input, headers: withCurrentRequest(input.headers) }),
  signal: (input, next) => next({ ...input, headers: withCurrentRequest(input.headers) }),
  startUpdate: (input, next) => next({ ...input, headers: withCurrentRequest(input.headers) }),
  startUpdateWithStart: (input, next) =>
    next({
      ...input,
      workflowStartHeaders: withCurrentRequest(input.workflowStartHeaders),
      updateHeaders: withCurrentRequest(input.updateHeaders),
    }),
};
