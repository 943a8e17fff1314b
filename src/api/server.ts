/**
 * The HTTP API: enrollments, actions and the review queue over the Temporal client, with bearer
 * tokens (static or OIDC) and roles, per-token rate limits, the OpenAPI document and the reviewer
 * console; its lines go to Fastify's logger, each with its request's ID (src/http/logging.ts).
 * Returned unstarted so callers (npm start, npm run api, tests) can listen where they like.
 */
import cors from '@fastify/cors';
import { directory } from '../auth/directory';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { consoleRoutes } from '../console/routes';
import { REQUEST_ID_HEADER } from '../http/logging';
import { buildServiceServer } from '../http/service-server';
import { withRequestId } from '../client/request-ids';
import { authenticator } from './authenticate';
import { ApiConfigSchema } from './config';
import type { ApiDeps } from './deps';
import { WindowEdges } from '../client/window-pager';
import { ApiError, sendError, toApiError } from './errors';
import { openApiDocument } from './openapi';
import { rateLimitOptions, type RateLimits } from './rate-limits';
import { RouteBook } from './route-book';
import { actionRoutes } from './routes/actions';
import { auditRoutes } from './routes/audit';
import { enrollmentRoutes } from './routes/enrollments';
import { healthRoutes } from './routes/health';
import { meRoutes } from './routes/me';
import { reviewRoutes } from './routes/reviews';
import { documentRoutes, UPLOAD_TYPES } from './routes/documents';

export type { ApiDeps } from './deps';

const BODY_LIMIT_BYTES = 256 * 1024;
const defaults = ApiConfigSchema.parse({});
const DEFAULT_LIMITS: RateLimits = {
  perMinute: defaults.CSP_API_RATE_LIMIT,
  sendsPerHour: defaults.CSP_API_RATE_LIMIT_SENDS,
};

export function buildApiServer(given: ApiDeps): FastifyInstance {
  // Without a configured directory, reviews go only to the people of the token table.
  const deps: ApiDeps = {
    ...given,
    directory: given.directory ?? directory(given.tokens.entries().map((entry) => entry.caller)),
    windowEdges: given.windowEdges ?? new WindowEdges(),
  };
  const app = buildServiceServer({ log: deps.log, bodyLimit: BODY_LIMIT_BYTES, toError: toApiError });
  // What the routes ask of Temporal carries the request's ID to the workflow (src/client/request-ids.ts).
  app.addHook('preHandler', (request, _reply, done) => withRequestId(request.id, done));
  // Documents arrive as raw bytes, up to the vault's limit (one more byte tells it is too large);
  // without a vault the route answers who may upload, then that documents are not configured.
  app.addContentTypeParser(
    [...UPLOAD_TYPES],
    { parseAs: 'buffer', bodyLimit: deps.documents ? deps.documents.maxBytes + 1 : BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, new ApiError(404, 'not-found', 'no such route')),
  );
  // Plugins load at ready()/listen(), which report their errors: register() is not awaited.
  if (deps.corsOrigins?.length)
    void app.register(cors, {
      origin: deps.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', REQUEST_ID_HEADER],
      exposedHeaders: ['Location', 'Idempotent-Replayed', 'Retry-After', REQUEST_ID_HEADER],
    });
  const limits = deps.rateLimits ?? DEFAULT_LIMITS;
  void app.register(rateLimit, rateLimitOptions(limits));
  // Routes after the rate limiter, which hooks into each route as it is added.
  void app.register(async (routes) => {
    const book = new RouteBook(authenticator(deps.tokens, deps.oidc), limits);
    // Before anything is sent to the workers: would they open what this API seals?
    if (deps.workersReadOurKey) {
      const workersReadOurKey = deps.workersReadOurKey;
      routes.addHook('preHandler', async (request) => {
        if (request.method === 'POST' && request.routeOptions.url?.startsWith('/enrollments'))
          await workersReadOurKey();
      });
    }
    healthRoutes(routes, book, deps);
    meRoutes(routes, book);
    enrollmentRoutes(routes, book, deps);
    auditRoutes(routes, book, deps);
    actionRoutes(routes, book, deps);
    reviewRoutes(routes, book, deps);
    documentRoutes(routes, book, deps);
    consoleRoutes(routes, book);

    let document: unknown;
    book.add(routes, {
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
  });
  return app;
}
