/** The OpenAPI document describes every route, and health and readiness answer. */
import { startApiStack, type ApiStack, type Json } from '../harness/api-stack';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack('api-openapi');
});
afterAll(() => api?.close());

const ROUTES = [
  'GET /health',
  'GET /ready',
  'GET /me',
  'GET /openapi.json',
  'POST /enrollments',
  'GET /enrollments',
  'GET /enrollments/{id}',
  'POST /enrollments/{id}/documents',
  'GET /enrollments/{id}/documents/{documentId}',
  'GET /enrollments/{id}/audit',
  'POST /enrollments/{id}/account-details',
  'POST /enrollments/{id}/phone-code',
  'POST /enrollments/{id}/phone-code/new',
  'POST /enrollments/{id}/application',
  'POST /enrollments/{id}/information',
  'POST /enrollments/{id}/agreement',
  'POST /enrollments/{id}/withdraw',
  'POST /enrollments/{id}/decision',
  'POST /enrollments/{id}/review/claim',
  'POST /enrollments/{id}/review/release',
  'POST /enrollments/{id}/review/reassign',
  'POST /enrollments/{id}/incident',
  'POST /enrollments/{id}/deadline',
  'POST /enrollments/{id}/notifications/{key}/resend',
  'GET /reviews',
  'GET /console',
  'GET /console/',
  'GET /console/console.js',
  'GET /console/icon.svg',
  'GET /console/console.css',
];

test('GET /openapi.json is an OpenAPI 3 document covering every route, each registered on the server', async () => {
  const { status, body } = await api.call(undefined, 'GET', '/openapi.json');
  expect(status).toBe(200);
  expect(body.openapi).toMatch(/^3\.1\./);
  expect(body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(documented.sort()).toEqual([...ROUTES].sort());
  for (const route of documented) {
    const [method, path] = route.split(' ');
    expect(api.app.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') })).toBe(true);
    const operation = body.paths[path][method.toLowerCase()];
    expect(operation).toMatchObject({ operationId: expect.any(String), responses: expect.any(Object) });
    for (const [code, response] of Object.entries(
      operation.responses as Record<string, { description?: string }>,
    )) {
      expect(code).toMatch(/^[1-5]\d\d$/);
      expect(response.description).toEqual(expect.any(String));
    }
  }
  const start = body.paths['/enrollments'].post;
  expect(start.requestBody.content['application/json'].schema.properties).toHaveProperty('organization');
  expect(start.requestBody.content['application/json'].schema.properties).not.toHaveProperty('owner');
  expect(start.parameters).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
  );
  // The work account one of two ways, never both: an existing one's domain, or a new one's prefix.
  const startBody = start.requestBody.content['application/json'].schema;
  const workAccount = startBody.properties.organization.properties.workAccount;
  expect(startBody.properties.organization.required).toContain('workAccount');
  expect(workAccount.oneOf).toHaveLength(2);
  expect(workAccount).not.toHaveProperty('anyOf');
  const way = (kind: string) =>
    workAccount.oneOf.find((schema: Json) => schema.properties.kind.const === kind);
  expect(way('existing')).toMatchObject({
    required: ['kind', 'domain'],
    additionalProperties: false,
    properties: { domain: { type: 'string' } },
  });
  expect(way('new')).toMatchObject({
    required: ['kind', 'domainPrefix'],
    additionalProperties: false,
    properties: { domainPrefix: { type: 'string' } },
  });
  expect(way('existing').properties).not.toHaveProperty('domainPrefix');
  expect(way('new').properties).not.toHaveProperty('domain');
  expect(body.paths['/enrollments/{id}'].get.parameters).toEqual([
    expect.objectContaining({ name: 'id', in: 'path', required: true }),
  ]);
  expect(body.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  expect(JSON.stringify(body)).not.toContain('$schema');
});

test('health and readiness', async () => {
  expect((await api.call(undefined, 'GET', '/health')).body).toEqual({ ok: true });
  expect((await api.call(undefined, 'GET', '/ready')).body).toEqual({ ok: true });
  const unknown = await api.call(undefined, 'GET', '/nowhere');
  expect(unknown.status).toBe(404);
  const me = await api.call('lead', 'GET', '/me');
  expect(me.body).toEqual({ id: 'lead-1', role: 'review-lead' });
});
