/**
 * JsonClient against a bare node:http stub, for answers the simulator never gives: 429, a 500 with
 * an HTML page, a success with the wrong shape, and the headers every call must carry.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ExternalServiceError } from '../../src/integrations/contracts';
import { JsonClient } from '../../src/integrations/http/json-client';

let server: Server;
let baseUrl: string;
let next: { status: number; body: string };
let seen: IncomingHttpHeaders;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen = req.headers;
    req.resume();
    req.on('end', () => res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body));
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
