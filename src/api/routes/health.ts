/** Liveness and readiness, for orchestrators and load balancers. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';

const Ok = z.object({ ok: z.literal(true) });
const READY_TIMEOUT_MS = 3_000;

export function healthRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  book.add(app, {
    method: 'GET',
    url: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    tag: 'operations',
    roles: 'public',
    responses: { 200: { description: 'alive', schema: Ok } },
    handler: () => ({ ok: true }),
  });

  book.add(app, {
    method: 'GET',
    url: '/ready',
    operationId: 'ready',
    summary: 'Readiness: Temporal answers',
    tag: 'operations',
    roles: 'public',
    responses: { 200: { description: 'ready', schema: Ok }, ...errorResponses(503) },
    handler: async () => {
      try {
        await deps.client.connection.withDeadline(Date.now() + READY_TIMEOUT_MS, () =>
          deps.client.workflowService.getSystemInfo({}),
        );
      } catch {
        throw new ApiError(503, 'unavailable', 'Temporal is not reachable');
      }
      return { ok: true };
    },
  });
}
