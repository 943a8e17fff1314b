/** Who the token stands for; the console shows it after sign-in. */
import type { FastifyInstance } from 'fastify';
import { Actor, ROLES } from '../../domain/actions';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';

export function meRoutes(app: FastifyInstance, book: RouteBook): void {
  book.add(app, {
    method: 'GET',
    url: '/me',
    operationId: 'whoAmI',
    summary: 'The caller the bearer token stands for',
    tag: 'operations',
    roles: ROLES,
    responses: { 200: { description: 'the caller', schema: Actor }, ...errorResponses(401) },
    handler: ({ caller }) => ({ id: caller.id, role: caller.role }),
  });
}
