/**
 * Every error the API answers with, as `{ error: { code, message, fields? } }`, and the mapping
 * from Temporal's and the client's errors to HTTP statuses. Bad input is a 4xx, never a 500.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EnrollmentAlreadyRunning, InvalidEnrollmentRequest } from '../client/enrollments';
import { describeIssues } from '../domain/actions';
import { InvalidPageToken } from '../client/visibility';

export type ErrorCode =
  | 'invalid-input'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'refused'
  | 'already-running'
  | 'idempotency-key-reused'
  | 'unavailable'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: { path: string; message: string }[],
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

/** Maps any thrown value to an ApiError; unknown errors become a 500 without their details. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowUpdateFailedError)
    return new ApiError(409, 'refused', error.cause?.message ?? error.message);
  if (error instanceof WorkflowNotFoundError) return new ApiError(404, 'not-found', 'no such enrollment');
  if (error instanceof EnrollmentAlreadyRunning) return new ApiError(409, 'already-running', error.message);
  if (error instanceof InvalidPageToken) return new ApiError(400, 'invalid-input', error.message);
  if (error instanceof InvalidEnrollmentRequest) return new ApiError(400, 'invalid-input', error.message);
  const fastify = error as Partial<FastifyError>;
  // Fastify's own 4xx: malformed JSON, unsupported media type, body too large, …
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const code: ErrorCode = fastify.statusCode === 404 ? 'not-found' : 'invalid-input';
    return new ApiError(fastify.statusCode, code, fastify.message ?? 'bad request');
  }
  return new ApiError(500, 'internal', 'internal error');
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.status === 401) void reply.header('WWW-Authenticate', 'Bearer');
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
  };
  return reply.status(error.status).send(body);
}

export function errorHandler(
  log: (message: string) => void,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    const apiError = toApiError(error);
    // Only the route and the error class: bodies carry personal data and headers carry tokens.
    if (apiError.status >= 500)
      log(`${request.method} ${request.routeOptions.url ?? '?'}: ${(error as Error)?.name ?? 'error'}`);
    return sendError(reply, apiError);
  };
}
