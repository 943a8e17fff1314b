/**
 * The Fastify instance every HTTP server of the service starts from (the API, the codec server):
 * its lines logged under each request's ID, a body limit, malformed requests (broken request line
 * or headers, no Host, a target it cannot route) answered with a 4xx in the service's error shape,
 * every answer naming its request's ID, and errors mapped by `toError` (the rest a 500 without
 * details). One place, so that no server of the service is hardened less than another.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../process/logger';
import { answerClientError, MISSING_HOST, missingHost, SERVER_OPTIONS } from './client-error';
import { answerBadTarget, ApiError, errorHandler } from './errors';
import { echoRequestId, serverLogging } from './logging';

export interface ServiceServerOptions {
  log: Logger;
  bodyLimit: number;
  toError: (error: unknown) => ApiError;
}

export function buildServiceServer({ log, bodyLimit, toError }: ServiceServerOptions): FastifyInstance {
  const app = Fastify({
    ...serverLogging(log),
    bodyLimit,
    clientErrorHandler: answerClientError,
    http: SERVER_OPTIONS,
    frameworkErrors: answerBadTarget,
  });
  app.addHook('onRequest', async (request) => {
    if (missingHost(request.raw)) throw new ApiError(400, 'invalid-request', MISSING_HOST);
  });
  echoRequestId(app);
  app.setErrorHandler(errorHandler(toError));
  return app;
}
