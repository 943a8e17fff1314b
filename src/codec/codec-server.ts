/**
 * The codec server: lets an operator's Temporal UI (or CLI) show payloads decoded. Temporal UI
 * POSTs `{ payloads: [...] }` to `<endpoint>/decode` (and `/encode`) with an X-Namespace header.
 * Only operators may call it: `Authorization: Bearer <operator token>`, or, for a UI that cannot
 * send headers (the dev server's), the token as a path segment: `/codec/t/<token>/decode`.
 */
import { temporal } from '@temporalio/proto';
import { timingSafeEqual, createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EncryptionCodec } from './encryption-codec';

export interface CodecServerOptions {
  codec: EncryptionCodec;
  operatorToken: string;
  /** Namespaces whose payloads this server decodes (X-Namespace). */
  namespaces: string[];
  corsOrigins: string[];
  host?: string;
  port?: number;
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

type JsonPayload = { metadata?: Record<string, string>; data?: string };
const MAX_BODY = 4 * 1024 * 1024;

const sameToken = (given: string, expected: string) =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

function fromJson(payload: JsonPayload): temporal.api.common.v1.IPayload {
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

async function readBody(req: http.IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function codecRequestHandler(options: CodecServerOptions): http.RequestListener {
  return async (req, res) => {
    const origin = req.headers.origin;
    if (origin && options.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    }
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();

    const match = /^\/codec(?:\/t\/([^/]+))?\/(encode|decode)$/.exec((req.url ?? '').split('?')[0]);
    if (!match) return send(404, { error: 'not found: use POST /codec/encode or /codec/decode' });
    if (req.method !== 'POST') return send(405, { error: 'use POST' });
    const header = req.headers.authorization;
    const token = match[1]
      ? decodeURIComponent(match[1])
      : header?.startsWith('Bearer ')
        ? header.slice(7)
        : undefined;
    if (!token || !sameToken(token, options.operatorToken))
      return send(401, { error: 'an operator token is required' });
    const namespace = req.headers['x-namespace'];
    if (typeof namespace !== 'string' || !options.namespaces.includes(namespace)) {
      return send(403, { error: `X-Namespace must name one of: ${options.namespaces.join(', ')}` });
    }
    try {
      const body = JSON.parse(await readBody(req)) as { payloads?: JsonPayload[] };
      if (!Array.isArray(body.payloads)) return send(400, { error: 'payloads: an array is required' });
      const payloads = body.payloads.map(fromJson);
      const result =
        match[2] === 'decode' ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
      send(200, { payloads: result.map(toJson) });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 400;
      // The message never quotes payload content.
      send(status, { error: error instanceof SyntaxError ? 'body: not JSON' : (error as Error).message });
    }
  };
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const server = http.createServer(codecRequestHandler(options));
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
