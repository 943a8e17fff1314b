/**
 * Per-token rate limits (@fastify/rate-limit): requests per minute per authenticated subject, and
 * a tighter hourly limit on the routes that make the service send SMS or email. Keyed by subject,
 * not address, so one caller cannot exhaust another's share; callers without a token are keyed by
 * address. Past the limit: 429 with Retry-After, in the service's error shape.
 */
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { RouteSpec } from './route-book';
import type { Caller } from './tokens';

export interface RateLimits {
  /** Requests per minute per subject. */
  perMinute: number;
  /** Requests per hour per subject to routes that send SMS or email. */
  sendsPerHour: number;
}

/** Routes whose every call makes the service send an SMS or an email. */
const SENDS = new Set(['startEnrollment', 'requestPhoneCode']);
/** Probes stay unlimited: orchestrators poll them. */
const UNLIMITED = new Set(['health', 'ready']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route book once the bearer token is checked. */
    caller?: Caller;
  }
}

const keyOf = (request: FastifyRequest) =>
  request.caller ? `subject ${request.caller.role}:${request.caller.id}` : `address ${request.ip}`;

/** Options for @fastify/rate-limit, registered on the root so its limits reach every route. */
export function rateLimitOptions(limits: RateLimits): RateLimitPluginOptions {
  return {
    global: true,
    // After the route book's own onRequest hook, which authenticates the caller.
    hook: 'onRequest',
    max: limits.perMinute,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    // Thrown, so the service's error handler answers it (Retry-After is already set).
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `too many requests (at most ${context.max} in this period); try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  };
}

/** The route's own limit (Fastify route config), or undefined for the per-minute default. */
export function routeRateLimit(spec: Pick<RouteSpec, 'operationId'>, limits: RateLimits) {
  if (UNLIMITED.has(spec.operationId)) return false;
  if (SENDS.has(spec.operationId))
    return { max: limits.sendsPerHour, timeWindow: 3_600_000, keyGenerator: keyOf };
  return undefined;
}
