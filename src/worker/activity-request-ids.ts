/**
 * Activities started by the workflow task that handled an API request (src/workflows/interceptors.ts)
 * carry its ID in a header: their log lines — theirs and the SDK's about them — name it.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { requestIdIn } from '../workflows/request-ids';

export const activityRequestIds: ActivityInterceptorsFactory = () => {
  // Known once the activity runs: the SDK's "Activity started" line comes before and has none.
  let requestId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        requestId = requestIdIn(input.headers);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next(requestId ? { ...attributes, requestId } : attributes),
    },
  };
};
