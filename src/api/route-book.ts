/**
 * Routes are declared once, with zod schemas and the roles allowed, and the book does the rest:
 * registers them on Fastify with authentication and validation before the handler runs, and
 * describes them for the OpenAPI document. Bad input never reaches a handler.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Authenticate } from './authenticate';
import { ApiError } from './errors';
import { routeRateLimit, type RateLimits } from './rate-limits';
import { errorResponses } from './responses';
import type { Caller, Role } from './tokens';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Non-JSON content (the console's files, documents). */
  contentType?: string;
  binary?: boolean;
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
  /** A raw body (a document's bytes) instead of JSON: the content types taken, for the document. */
  rawBody?: { contentTypes: readonly string[]; description: string };
  /** Request headers worth documenting (Idempotency-Key). */
  headers?: { name: string; description: string; required?: boolean }[];
  responses: Record<number, RouteResponse>;
  handler(context: RouteContext<P, Q, B>): Promise<unknown> | unknown;
}

export class RouteBook {
  readonly routes: RouteSpec[] = [];

  constructor(
    private readonly authenticate: Authenticate,
    private readonly limits: RateLimits,
  ) {}

  add<P, Q, B>(app: FastifyInstance, spec: RouteSpec<P, Q, B>): void {
    const roles = spec.roles;
    const limited = roles !== 'public';
    this.routes.push({
      ...spec,
      responses: limited ? { ...spec.responses, ...errorResponses(429) } : spec.responses,
    } as unknown as RouteSpec);
    app.route({
      method: spec.method,
      url: spec.url,
      config: { rateLimit: routeRateLimit(spec, this.limits) },
      // Before the rate limiter (also an onRequest hook), which counts per caller.
      onRequest: async (request) => {
        request.caller = roles === 'public' ? PUBLIC : await this.authorize(request, roles);
      },
      handler: async (request, reply) => {
        const caller = request.caller ?? PUBLIC;
        const params = parse(spec.params, request.params, 'params');
        const query = parse(spec.query, request.query, 'query');
        const body = spec.rawBody ? (request.body as B) : parse(spec.body, request.body ?? {}, 'body');
        const result = await spec.handler({ caller, params, query, body, request, reply });
        return reply.sent ? reply : result;
      },
    });
  }

  private async authorize(request: FastifyRequest, roles: readonly Role[]): Promise<Caller> {
    const caller = await this.authenticate(request.headers.authorization);
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
