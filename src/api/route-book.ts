/**
 * Routes are declared once, with zod schemas and the roles allowed, and the book does the rest:
 * registers them on Fastify with authentication and validation before the handler runs, and
 * describes them for the OpenAPI document. Bad input never reaches a handler.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiError } from './errors';
import { bearerToken, type Caller, type Role, type TokenTable } from './tokens';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Non-JSON content (the console's files). */
  contentType?: string;
}

export interface RouteContext<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST';
  /** Fastify syntax: /enrollments/:id. */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Roles allowed, or 'public' for routes without a token. */
  roles: readonly Role[] | 'public';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Request headers worth documenting (Idempotency-Key). */
  headers?: { name: string; description: string; required?: boolean }[];
  responses: Record<number, RouteResponse>;
  handler(context: RouteContext<P, Q, B>): Promise<unknown> | unknown;
}

export class RouteBook {
  readonly routes: RouteSpec[] = [];

  constructor(private readonly tokens: TokenTable) {}

  add<P, Q, B>(app: FastifyInstance, spec: RouteSpec<P, Q, B>): void {
    this.routes.push(spec as unknown as RouteSpec);
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        const caller = spec.roles === 'public' ? PUBLIC : this.authorize(request, spec.roles);
        const params = parse(spec.params, request.params, 'params');
        const query = parse(spec.query, request.query, 'query');
        const body = parse(spec.body, request.body ?? {}, 'body');
        const result = await spec.handler({ caller, params, query, body, request, reply });
        return reply.sent ? reply : result;
      },
    });
  }

  private authorize(request: FastifyRequest, roles: readonly Role[]): Caller {
    const token = bearerToken(request.headers.authorization);
    const caller = token ? this.tokens.authenticate(token) : undefined;
    if (!caller) throw new ApiError(401, 'unauthorized', 'a valid bearer token is required');
    if (!roles.includes(caller.role))
      throw new ApiError(403, 'forbidden', `a ${caller.role} may not do this (allowed: ${roles.join(', ')})`);
    return caller;
  }
}

const PUBLIC: Caller = { id: 'anonymous', role: 'applicant' };

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ApiError.fromZod(parsed.error, where);
  return parsed.data;
}
