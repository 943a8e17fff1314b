/**
 * The API request an action came from, as a Temporal header: the API sets it on what it asks of an
 * enrollment (src/client/request-ids.ts), the workflow and its activities put it on their log
 * lines. A header, not a field of the action: action inputs are recorded in history and checked
 * on replay, while an unknown or missing header changes nothing for a run already under way.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';

export const REQUEST_ID_HEADER = 'csp-request-id';

/** The header carrying `requestId`, for the client and for the activities a workflow starts. */
export const requestIdHeader = (requestId: string): Headers => ({
  [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId),
});

/** The request ID in these headers, if any (never sealed: it is no personal data). */
export function requestIdIn(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' ? value : undefined;
  } catch {
    // A header some other client wrote: no request ID, the action goes on.
    return undefined;
  }
}
