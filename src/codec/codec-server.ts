/**
 * The codec server: lets an operator's Temporal UI (or CLI) show payloads decoded. Temporal UI
 * POSTs `{ payloads: [...] }` to `<endpoint>/decode` (and `/encode`) with an X-Namespace header.
 * Only operators may call it, in one of three ways:
 *
 * - `Authorization: Bearer <operator token>` (scripts, development);
 * - `Authorization: Bearer <OIDC access token>`, as Temporal UI sends it with `passAccessToken`;
 * - the session cookie of the sign-in page (`GET /codec`), for the development UI, which sends
 *   cookies with "Include cross-origin credentials" but no header. No token ever rides in a URL.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { temporal } from '@temporalio/proto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { bearerToken, sameSecret } from '../auth/bearer';
import { IdentityProviderUnavailable, looksLikeJwt, type OidcVerifier, TokenRejected } from '../auth/oidc';
import { ApiError, fromFastify, sendError } from '../http/errors';
import { buildServiceServer } from '../http/service-server';
import type { Logger } from '../process/logger';
import { CodecSessions } from './codec-sessions';
import { PayloadKeyUnavailable, type EncryptionCodec } from './encryption-codec';
import { SealBroken } from './sealing';
import { PAGE_CSP, signInPage } from './sign-in-page';

export interface CodecServerOptions {
  codec: EncryptionCodec;
  /** The operators' static token; at least one of it and `oidc` is needed. */
  operatorToken?: string;
  /** OIDC access tokens (Temporal UI's `passAccessToken`). */
  oidc?: OidcVerifier;
  /** Namespaces whose payloads this server decodes (X-Namespace). */
  namespaces: string[];
  /** Temporal UI's origins (CORS, with credentials). */
  corsOrigins: string[];
  /** The process's logger: requests, and every 5xx with its message and stack (src/http/logging.ts). */
  log: Logger;
  host?: string;
  port?: number;
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const Payloads = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), z.string().max(64 * 1024)).optional(),
        data: z.string().optional(),
      }),
    )
    .max(10_000),
});
type JsonPayload = z.infer<typeof Payloads>['payloads'][number];
const SignIn = z.object({ token: z.string().min(1).max(4096) });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromJson(payload: JsonPayload, index: number): temporal.api.common.v1.IPayload {
  const values = [...Object.values(payload.metadata ?? {}), payload.data ?? ''];
  if (!values.every((value) => BASE64.test(value)))
    throw new ApiError(400, 'invalid-input', `payloads.${index}: metadata values and data must be base64`);
  return temporal.api.common.v1.Payload.fromObject({
    metadata: payload.metadata ?? {},
    data: payload.data ?? '',
  });
}

function toJson(payload: temporal.api.common.v1.IPayload): JsonPayload {
  return temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), {
    bytes: String,
  }) as JsonPayload;
}

/** Codec failures the caller caused (a broken seal, a key this server lacks): 400, never a 500. */
function toCodecError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SealBroken || error instanceof PayloadKeyUnavailable)
    return new ApiError(400, 'invalid-input', error.message);
  return fromFastify(error) ?? new ApiError(500, 'internal', 'internal error');
}

export function buildCodecServer(options: CodecServerOptions) {
  if (!options.operatorToken && !options.oidc)
    throw new Error('the codec server needs an operator token or OIDC settings');
  const sessions = new CodecSessions();
  const app = buildServiceServer({ log: options.log, bodyLimit: MAX_BODY, toError: toCodecError });
  app.setNotFoundHandler((_request, reply) =>
    sendError(
      reply,
      new ApiError(404, 'not-found', 'no such route: use POST /codec/decode or /codec/encode'),
    ),
  );
  // The sign-in form posts application/x-www-form-urlencoded.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  // Plugins load at ready()/listen(), which report their errors: register() is not awaited.
  void app.register(cors, {
    origin: options.corsOrigins,
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization', 'Authorization-Extras'],
    maxAge: 600,
  });
  void app.register(rateLimit, { global: false });

  const endpoint = (request: FastifyRequest) => `${request.protocol}://${request.host}/codec`;
  const page = (request: FastifyRequest, reply: FastifyReply, status: number, error?: string) =>
    reply
      .status(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', PAGE_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-store')
      .send(
        signInPage({
          signedIn: sessions.valid(CodecSessions.fromCookieHeader(request.headers.cookie)),
          uiOrigin: options.corsOrigins[0],
          endpoint: endpoint(request),
          error,
        }),
      );

  async function authorize(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (token && options.operatorToken && sameSecret(token, options.operatorToken)) return;
    if (token && options.oidc && looksLikeJwt(token)) {
      try {
        await options.oidc(token);
        return;
      } catch (error) {
        if (error instanceof TokenRejected) throw new ApiError(401, 'unauthorized', error.message);
        if (error instanceof IdentityProviderUnavailable)
          throw new ApiError(503, 'unavailable', error.message);
        throw error;
      }
    }
    if (!token && sessions.valid(CodecSessions.fromCookieHeader(request.headers.cookie))) return;
    throw new ApiError(
      401,
      'unauthorized',
      'an operator token, an access token or a codec session is required',
    );
  }

  // Routes after the rate limiter, which hooks into each route as it is added.
  void app.register(async (routes) => {
    routes.get('/health', () => ({ ok: true }));
    routes.get('/codec', (request, reply) => page(request, reply, 200));

    routes.post(
      '/codec/session',
      { config: { rateLimit: { max: 10, timeWindow: 60_000 } } },
      (request, reply) => {
        // A form from another site must not sign this browser in (login CSRF).
        const origin = request.headers.origin;
        if (origin !== undefined && origin !== `${request.protocol}://${request.host}`)
          throw new ApiError(403, 'forbidden', 'sign in from the codec server’s own page');
        const parsed = SignIn.safeParse(request.body);
        if (!parsed.success) throw ApiError.fromZod(parsed.error, 'body');
        if (!options.operatorToken || !sameSecret(parsed.data.token, options.operatorToken))
          return page(request, reply, 401, 'That is not the operator token.');
        const secure = request.protocol === 'https';
        return reply
          .header('Set-Cookie', CodecSessions.cookie(sessions.create(), secure))
          .redirect('/codec', 303);
      },
    );

    routes.post('/codec/session/end', (request, reply) => {
      sessions.end(CodecSessions.fromCookieHeader(request.headers.cookie));
      return reply.header('Set-Cookie', CodecSessions.clearedCookie()).redirect('/codec', 303);
    });

    for (const operation of ['decode', 'encode'] as const) {
      routes.post(`/codec/${operation}`, async (request) => {
        await authorize(request);
        const namespace = request.headers['x-namespace'];
        if (typeof namespace !== 'string' || !options.namespaces.includes(namespace))
          throw new ApiError(
            403,
            'forbidden',
            `X-Namespace must name one of: ${options.namespaces.join(', ')}`,
          );
        const parsed = Payloads.safeParse(request.body);
        if (!parsed.success) throw ApiError.fromZod(parsed.error, 'body');
        const payloads = parsed.data.payloads.map(fromJson);
        const result =
          operation === 'decode'
            ? await options.codec.decode(payloads)
            : await options.codec.encode(payloads);
        // Answers and errors never quote payload content.
        return { payloads: result.map(toJson) };
      });
    }
  });
  return app;
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const app = buildCodecServer(options);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  const host = (options.host ?? '127.0.0.1').includes(':')
    ? `[${options.host}]`
    : (options.host ?? '127.0.0.1');
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
