/**
 * Temporal not answering, as the API tells it: a 503 with `Retry-After`, never a 500. A status
 * read past its deadline (no worker polls the task queue, the worker restarts), a query the
 * enrollment could not answer (its workflow task is failing), Temporal unreachable — all pass, and
 * the caller should come back; nothing was sent to the enrollment.
 */
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { ApiError } from '../http/errors';

/** gRPC status codes (fixed by the gRPC specification; grpc-js is not a dependency of ours). */
const grpcStatus = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  UNAVAILABLE: 14,
};

export const RETRY_AFTER_SECONDS = '5';

/** The gRPC codes that say "not now" rather than "never". */
const TRANSIENT = new Set<number>([
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.UNAVAILABLE,
  grpcStatus.CANCELLED,
  grpcStatus.RESOURCE_EXHAUSTED,
  grpcStatus.ABORTED,
]);

/** The client's wording for a query the enrollment did not answer (see WorkflowClient.query). */
const QUERY_FAILED = 'Failed to query Workflow';

/**
 * The server's UNAVAILABLE for a query sent to the worker that last ran the enrollment, now gone
 * (it stopped a moment ago), or for a query held for a workflow task that worker never finished
 * ('buffered query cleared'): the enrollment's worker is what did not answer, not Temporal.
 */
const workerGone = (grpc: unknown): boolean =>
  isGrpcServiceError(grpc) && /sticky worker unavailable|buffered query cleared/i.test(grpc.details);

export const unavailable = (message: string) =>
  new ApiError(503, 'unavailable', message, undefined, { 'Retry-After': RETRY_AFTER_SECONDS });

/** The 503 for a Temporal error that says "try again", else undefined. */
export function temporalUnavailable(error: unknown): ApiError | undefined {
  const grpc = error instanceof ServiceError ? error.cause : error;
  const code = isGrpcServiceError(grpc) ? grpc.code : undefined;
  if (code === grpcStatus.DEADLINE_EXCEEDED || (code === grpcStatus.UNAVAILABLE && workerGone(grpc)))
    return unavailable(
      'the enrollment did not answer in time (its worker may be down or restarting); try again after Retry-After',
    );
  if (code !== undefined && TRANSIENT.has(code))
    return unavailable('Temporal is not reachable now; try again after Retry-After');
  if (error instanceof ServiceError && error.message === QUERY_FAILED)
    return unavailable(
      'the enrollment cannot answer now (its worker is failing or not running); try again after Retry-After',
    );
  return undefined;
}
