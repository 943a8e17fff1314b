/** node:http plumbing shared by the simulator's service and control routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../request-body';
import { SimError } from './state';

const MAX_BODY_BYTES = 64 * 1024;

/** The request's path; 400 when the target cannot be parsed (`//[`, a bare `*`). */
export function requestPath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://simulator').pathname;
  } catch {
    throw new SimError(400, 'invalid_request', 'malformed request target');
  }
}

/** A query parameter of the request (its target parsed already by requestPath). */
export function queryParam(req: IncomingMessage, name: string): string | undefined {
  return new URL(req.url ?? '/', 'http://simulator').searchParams.get(name) ?? undefined;
}

/** The JSON body, undefined when empty; 400 when not JSON, 413 when oversized. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readRequestBody(
    req,
    MAX_BODY_BYTES,
    () => new SimError(413, 'too_large', `body exceeds ${MAX_BODY_BYTES} bytes`),
  );
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimError(400, 'invalid_json', 'body: not valid JSON');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}) {
  if (error instanceof SimError) {
    sendJson(res, error.status, { error: { code: error.code, message: error.message } }, headers);
  } else {
    sendJson(res, 500, { error: { code: 'internal', message: 'simulator error' } }, headers);
  }
}

/** Timers the server can cancel on close, so no test is left with an open handle. */
export class Timers {
  private pending = new Set<NodeJS.Timeout>();

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.after(ms, resolve));
  }

  after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    this.pending.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.pending.delete(timer);
  }

  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
