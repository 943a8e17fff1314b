/**
 * The HTTP API: enrollments, actions and the review queue over the Temporal client, with bearer
 * tokens and roles, the OpenAPI document and the reviewer console. Returned unstarted so callers
 * (npm start, npm run api, tests) can register more plugins (a codec server) before listening.
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { consoleRoutes } from '../console/routes';
import type { ApiDeps } from './deps';
import { ApiError, errorHandler, sendError } from './errors';
import { openApiDocument } from './openapi';
import { RouteBook } from './route-book';
import { actionRoutes } from './routes/actions';
import { enrollmentRoutes } from './routes/enrollments';
import { healthRoutes } from './routes/health';
import { meRoutes } from './routes/me';
import { reviewRoutes } from './routes/reviews';

export type { ApiDeps } from './deps';

const BODY_LIMIT_BYTES = 256 * 1024;

export function buildApiServer(deps: ApiDeps): FastifyInstance {
  // Fastify's logger stays off: requests carry tokens and personal data.
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  const log = deps.log ?? ((message: string) => console.error(`api: ${message}`));
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, new ApiError(404, 'not-found', 'no such route')),
  );
  if (deps.corsOrigins?.length)
    void app.register(cors, {
      origin: deps.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Location', 'Idempotent-Replayed'],
    });

  const book = new RouteBook(deps.tokens);
  healthRoutes(app, book, deps);
  meRoutes(app, book);
  enrollmentRoutes(app, book, deps);
  actionRoutes(app, book, deps);
  reviewRoutes(app, book, deps);
  consoleRoutes(app, book);

  let document: unknown;
  book.add(app, {
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    tag: 'operations',
    roles: 'public',
    responses: { 200: { description: 'the OpenAPI 3.1 document' } },
    handler: () =>
      (document ??= openApiDocument(book.routes, { title: 'CSP Enrollment API', version: '1.0.0' })),
  });
  return app;
}
