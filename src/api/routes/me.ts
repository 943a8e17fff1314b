/** Who the token stands for, and the email it proves (whom they sign as); the console shows it. */
import type { FastifyInstance } from 'fastify';
import { Actor, ROLES } from '../../domain/actions';
import { Email } from '../../domain/enrollment';
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
    responses: {
      200: { description: 'the caller', schema: Actor.extend({ email: Email.optional() }) },
      ...errorResponses(401),
    },
    handler: ({ caller }) => ({
      id: caller.id,
      role: caller.role,
      ...(caller.email ? { email: caller.email } : {}),
    }),
  });
}
