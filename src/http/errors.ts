/**
 * The error answer of every HTTP server of the service (API, codec server):
 * `{ error: { code, message, fields? } }`, and Fastify's own 4xx (malformed JSON, bad URL, unsupported
 * media type, body too large) in that shape. Bad input is a 4xx, never a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeIssues } from '../domain/actions';

export type ErrorCode =
  | 'invalid-input'
  | 'invalid-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'refused'
  | 'already-running'
  | 'already-enrolled'
  | 'idempotency-key-reused'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static fromZod(error: z.ZodError, where: string): ApiError {
    const fields = error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    return new ApiError(400, 'invalid-input', `${where}: ${describeIssues(error)}`, fields);
  }
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const errorBody = (code: ErrorCode, message: string): ErrorBody => ({ error: { code, message } });

/** Fastify's own 4xx (its messages name the problem, not the content), else undefined. */
export function fromFastify(error: unknown): ApiError | undefined {
  const fastify = error as Partial<FastifyError>;
  if (typeof fastify.statusCode !== 'number' || fastify.statusCode < 400 || fastify.statusCode >= 500)
    return undefined;
  const code: ErrorCode =
    fastify.statusCode === 404 ? 'not-found' : fastify.statusCode === 429 ? 'rate-limited' : 'invalid-input';
  return new ApiError(fastify.statusCode, code, fastify.message ?? 'bad request');
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer');
  for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
  };
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

/**
 * Fastify's error handler: `toError` maps what it knows, the rest is a 500 without details. Every
 * 5xx is logged under the request's ID with the error's message and stack (for staff), never with
 * the request's body or headers.
 */
export function errorHandler(
  toError: (error: unknown) => ApiError,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    const answer = toError(error);
    if (answer.status >= 500)
      request.log.error(
        { error, route: request.routeOptions.url, status: answer.status },
        error instanceof Error ? error.message : String(error),
      );
    return sendError(reply, answer);
  };
}

/**
 * Fastify's `frameworkErrors`: a target it cannot route (a malformed percent-escape) is a 400,
 * without quoting the target back.
 */
export function answerBadTarget(_error: unknown, _request: FastifyRequest, reply: FastifyReply): void {
  // Fastify expects nothing back here; a reply returned (it is thenable) would read as a promise.
  sendError(reply, new ApiError(400, 'invalid-request', 'malformed request target (a bad percent-escape)'));
}
