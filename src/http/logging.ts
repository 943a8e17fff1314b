/**
 * How the service's HTTP servers (the API, the codec server) log, through Fastify's own logger (the
 * process's pino): a line when a request comes in and one when it is answered, each with the
 * request's ID; a 5xx with the error's message and stack (src/http/errors.ts). Never what may carry
 * a secret or personal data: no body, no query string (filters, page tokens), a few headers only,
 * and Authorization and Cookie redacted should any line hold them.
 */
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../process/logger';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * A caller's request ID is kept when it looks like an ID (a UUID, a ULID, a trace ID): letters,
 * digits and `._:-`, 8 to 128 of them. Anything else (an email, a sentence) is replaced.
 */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  return typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Headers worth a log line; Authorization and Cookie only to be seen as redacted. */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'origin', 'authorization', 'cookie'];

function loggedRequest(request: FastifyRequest | IncomingMessage) {
  const raw = 'raw' in request ? request.raw : request;
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) if (raw.headers[name] !== undefined) headers[name] = raw.headers[name];
  return {
    method: raw.method,
    // The path only: query strings carry filters and page tokens.
    path: (raw.url ?? '').split('?')[0],
    ...('routeOptions' in request && request.routeOptions.url ? { route: request.routeOptions.url } : {}),
    remoteAddress: 'ip' in request ? request.ip : raw.socket?.remoteAddress,
    headers,
  };
}

const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
];

/** Fastify's options for logging through `log`, each request under its request ID. */
export function serverLogging(log: Logger) {
  // Typed as Fastify's base logger so the servers keep Fastify's default instance type.
  const loggerInstance: FastifyBaseLogger = log.child(
    {},
    { serializers: { req: loggedRequest }, redact: REDACTED },
  );
  return {
    loggerInstance,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  } satisfies FastifyServerOptions;
}

/** Every answer names its request's ID, so a caller can quote it when reporting a problem. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}
