/**
 * Malformed and hostile requests against every endpoint of the HTTP API, over real HTTP: path
 * parameters, query strings, JSON bodies (and bodies that are not JSON), and odd headers. The
 * endpoints come from the API's own OpenAPI document, so a new route is covered without a change
 * here. No answer may be a 5xx, and a refused request must not change the enrollment it targets.
 */
import fc from 'fast-check';
import { statusQuery } from '../../src/workflows/definitions';
import {
  enrollToReview,
  PERSONAS,
  startApiStack,
  tokenOf,
  type ApiStack,
  type Persona,
} from '../harness/api-stack';
import { newFigures, reportBadInput } from './support/figures';
import { hostileString, hostileValue, mutationsOf } from './support/hostile';
import { VALID_PAYLOADS } from './support/valid-payloads';

const SEED = 20261123;
const RUNS_PER_ENDPOINT = 8;
const figures = newFigures();
let api: ApiStack;
let enrollmentId: string;
let endpoints: { method: string; path: string }[] = [];

beforeAll(async () => {
  api = await startApiStack('bad-input-api');
  enrollmentId = await enrollToReview(api);
  const { body } = await api.call(undefined, 'GET', '/openapi.json');
  endpoints = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}, 60_000);
afterAll(async () => {
  reportBadInput('HTTP API', figures);
  await api?.close();
});

/** encodeURIComponent, or undefined for strings a URL cannot carry (lone surrogates). */
function encode(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}

const shortHostile = hostileString.filter((s) => s.length <= 2_000);
const request = fc.record({
  /** The real enrollment (so a refusal that changed it would show) or a hostile ID. */
  param: fc.oneof(fc.constant<string | null>(null), shortHostile),
  query: fc.dictionary(fc.constantFrom('stage', 'limit', 'cursor', 'q', 'owner', '__proto__'), shortHostile, {
    maxKeys: 3,
  }),
  body: fc.oneof(
    hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc
      .constantFrom(...Object.values(VALID_PAYLOADS))
      .chain((valid) => mutationsOf(valid))
      .map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom('{"a":', 'not json', '\u0000', '[]', '"x"', '{"__proto__":{"isAdmin":true}}'),
  ),
  persona: fc.constantFrom<Persona | undefined>(...(Object.keys(PERSONAS) as Persona[]), undefined),
  headers: fc.oneof(
    fc.constant({}),
    fc.record({
      authorization: fc.oneof(
        shortHostile,
        shortHostile.map((s) => `Bearer ${s}`),
      ),
    }),
    fc.record({ 'idempotency-key': shortHostile }),
    fc.record({
      'content-type': fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        '',
      ),
    }),
  ),
});

async function snapshot(): Promise<string> {
  const { audit: _audit, ...rest } = await api.stack.temporal.client.workflow
    .getHandle(enrollmentId)
    .query(statusQuery);
  return JSON.stringify(rest);
}

/** What HTTP can carry in a header value (fetch refuses the rest before sending). */
const sendable = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

type Input = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(method: string, template: string, input: Input) {
  const param = encode(input.param ?? enrollmentId);
  const query = Object.entries(input.query as Record<string, string>).map(([k, v]) => [k, encode(v)]);
  if (param === undefined || query.some(([, v]) => v === undefined)) return;
  if (!Object.values(input.headers as Record<string, string>).every(sendable)) return;
  const path =
    template.replace(/\{[^}]+\}/g, param) +
    (query.length ? `?${query.map((kv) => kv.join('=')).join('&')}` : '');
  const headers: Record<string, string> = {
    ...(input.persona ? { authorization: `Bearer ${tokenOf(input.persona)}` } : {}),
    ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    ...input.headers,
  };
  const targetsEnrollment = method === 'POST' && template.includes('{') && input.param === null;
  const before = targetsEnrollment ? await snapshot() : undefined;
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers,
    body: method === 'POST' ? input.body : undefined,
  });
  const status = response.status;
  await response.arrayBuffer();
  figures.tried += 1;
  if (status >= 500) figures.serverErrors += 1;
  expect({ method, path: template, status }).toEqual({ method, path: template, status: expect.any(Number) });
  expect(status).toBeLessThan(500);
  if (before !== undefined && status >= 400) {
    const after = await snapshot();
    if (after !== before) figures.changedByRefused += 1;
    expect(after).toBe(before);
  }
}

test('the OpenAPI document lists the endpoints to try', () => {
  expect(endpoints.length).toBeGreaterThan(5);
});

test('every endpoint answers hostile requests without a 5xx and refusals change nothing', async () => {
  for (const { method, path } of endpoints) {
    await fc.assert(
      fc.asyncProperty(request, (input) => send(method, path, input)),
      { seed: SEED, numRuns: RUNS_PER_ENDPOINT, endOnFailure: true },
    );
  }
  expect(figures.serverErrors).toBe(0);
  expect(figures.changedByRefused).toBe(0);
}, 120_000);
