/** The documented error answers, shared by every route's OpenAPI description. */
import { ErrorBody } from './errors';
import type { RouteResponse } from './route-book';

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input; `fields` names each failing field',
  401: 'no valid bearer token',
  403: 'the role may not do this, or the enrollment belongs to another applicant',
  404: 'no such enrollment',
  409: 'refused by the workflow (wrong stage, not the holder, …) or already running; the message says why',
  422: 'Idempotency-Key reused with another body',
  503: 'Temporal is not reachable',
};

export function errorResponses(...statuses: number[]): Record<number, RouteResponse> {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: DESCRIPTIONS[status], schema: ErrorBody }]),
  );
}
