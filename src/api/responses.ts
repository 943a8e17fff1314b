/** The documented error answers, shared by every route's OpenAPI description. */
import { ErrorBody } from './errors';
import type { RouteResponse } from './route-book';

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input; `fields` names each failing field',
  401: 'no valid bearer token',
  403: 'the role may not do this, or the enrollment belongs to another applicant',
  404: 'no such enrollment',
  410: 'the document is no longer stored (its retention passed)',
  413: 'the document is larger than the configured limit',
  415: 'the document is not a PDF, PNG or JPEG by its content, or its content is not the type declared',
  409: 'refused by the workflow (wrong stage, not the holder, …), already running or already enrolled; the message says why',
  422: 'Idempotency-Key reused with another body',
  429: 'too many requests for this token (`Retry-After` says when to try again)',
  503: 'a step failed while you waited (nothing was used up; try again after `Retry-After`), Temporal or the identity provider is not reachable, or the workers hold none of this API’s payload keys',
};

export function errorResponses(
  ...statuses: (keyof typeof DESCRIPTIONS & number)[]
): Record<number, RouteResponse> {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: DESCRIPTIONS[status], schema: ErrorBody }]),
  );
}
