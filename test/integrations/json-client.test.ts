/**
 * JsonClient against a bare node:http stub, for answers the simulator never gives: 429, a 500 with
 * an HTML page, a success with the wrong shape, Retry-After in its two forms, and the headers every
 * call must carry.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ExternalServiceError } from '../../src/integrations/contracts';
import { JsonClient } from '../../src/integrations/http/json-client';

let server: Server;
let baseUrl: string;
let next: { status: number; body: string; headers?: Record<string, string> };
let seen: IncomingHttpHeaders;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen = req.headers;
    req.resume();
    req.on('end', () =>
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(next.body),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = () => new JsonClient('stub', { baseUrl, apiKey: 'k', timeoutMs: 1000 });
const call = () =>
  client().request({
    method: 'POST',
    path: '/things',
    body: { a: 1 },
    idempotencyKey: 'idem-1',
    response: z.object({ id: z.string() }),
  });
const error = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ExternalServiceError,
  );

it('sends the bearer token and Idempotency-Key, and returns the parsed body', async () => {
  next = { status: 201, body: '{"id":"t-1","extra":true}' };
  await expect(call()).resolves.toEqual({ id: 't-1' });
  expect(seen.authorization).toBe('Bearer k');
  expect(seen['idempotency-key']).toBe('idem-1');
});

it('treats 429 and a 500 HTML page as retryable', async () => {
  next = { status: 429, body: '{"error":"slow down"}' };
  expect(await error(call())).toMatchObject({
    retryable: true,
    status: 429,
    message: expect.stringContaining('slow down'),
  });
  next = { status: 500, body: '<html>oops</html>' };
  expect(await error(call())).toMatchObject({ retryable: true, status: 500 });
});

it('treats 404 as final, with the server message', async () => {
  next = { status: 404, body: '{"message":"no such thing"}' };
  const e = await error(call());
  expect(e).toBeInstanceOf(ExternalServiceError);
  expect(e).toMatchObject({
    retryable: false,
    status: 404,
    message: expect.stringContaining('no such thing'),
  });
});

it('treats a success of the wrong shape as a contract break, not a glitch', async () => {
  next = { status: 200, body: '{"identifier":"t-1"}' };
  expect(await error(call())).toMatchObject({ retryable: false, message: expect.stringContaining('id') });
});

describe('Retry-After', () => {
  const retryAfterMs = async () => {
    const e = await error(call());
    expect(e).toBeInstanceOf(ExternalServiceError);
    return e!.retryAfterMs;
  };

  it('is read in seconds from a 429', async () => {
    next = { status: 429, body: '{}', headers: { 'retry-after': '7' } };
    expect(await error(call())).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
  });

  it('is read as an HTTP date from a 503', async () => {
    next = {
      status: 503,
      body: '{}',
      headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
    };
    const waitMs = await retryAfterMs();
    // The date has whole seconds only: up to one less than asked, never more.
    expect(waitMs).toBeGreaterThan(28_000);
    expect(waitMs).toBeLessThanOrEqual(30_000);
  });

  it('is bounded to an hour; a date already past is ignored', async () => {
    next = { status: 503, body: '{}', headers: { 'retry-after': '86400' } };
    expect(await retryAfterMs()).toBe(3_600_000);
    next = {
      status: 503,
      body: '{}',
      headers: { 'retry-after': new Date(Date.now() - 60_000).toUTCString() },
    };
    expect(await retryAfterMs()).toBeUndefined();
  });

  it('is left out when absent, unreadable, or on an answer that will not change', async () => {
    next = { status: 503, body: '{}' };
    expect(await retryAfterMs()).toBeUndefined();
    next = { status: 503, body: '{}', headers: { 'retry-after': 'soon' } };
    expect(await retryAfterMs()).toBeUndefined();
    next = { status: 400, body: '{}', headers: { 'retry-after': '5' } };
    expect(await error(call())).toMatchObject({ retryable: false, retryAfterMs: undefined });
  });
});

describe('the connection', () => {
  /** A second stub: counts connections; `onRequest` answers (or not) each request. */
  let own: Server;
  let ownUrl: string;
  let connections = 0;
  let onRequest: (req: IncomingMessage, res: ServerResponse, nth: number) => void;
  beforeAll(async () => {
    own = createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      req.resume();
      req.on('end', () => onRequest(req, res, socket.served!));
    });
    own.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    ownUrl = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    own.closeAllConnections();
    await new Promise((resolve) => own.close(resolve));
  });
  beforeEach(() => {
    own.closeAllConnections();
    connections = 0;
  });

  const get = (timeoutMs = 1000) =>
    new JsonClient('stub', { baseUrl: ownUrl, timeoutMs }).request({
      method: 'GET',
      path: '/things/1',
      response: z.object({ id: z.string() }),
    });
  const ok = (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');

  it('is kept alive: calls one after the other share it', async () => {
    onRequest = (_req, res) => ok(res);
    for (let i = 0; i < 3; i += 1) await expect(get()).resolves.toEqual({ id: '1' });
    expect(connections).toBe(1);
  });

  it('closed by the server as a call reuses it: the call goes again once, on a new one', async () => {
    onRequest = (req, res, nth) => (nth === 1 ? ok(res) : req.socket.destroy());
    await get();
    await expect(get()).resolves.toEqual({ id: '1' });
    expect(connections).toBe(2);
    // Closed again on the new connection's second call and on the next: not a third time.
    onRequest = (req, res, nth) => (nth === 1 && connections === 2 ? ok(res) : req.socket.destroy());
    expect(await error(get())).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/could not connect/),
    });
  });

  it('an answer that stalls halfway times out, retryable', async () => {
    onRequest = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"id":');
    expect(await error(get(200))).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/timed out after 200 ms/),
    });
  });

  it('an answer larger than any of our services gives is refused, not buffered', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    onRequest = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 9; i += 1) res.write(chunk);
      res.end();
    };
    expect(await error(get())).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/answer larger than/),
    });
  });
});
