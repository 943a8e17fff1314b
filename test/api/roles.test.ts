/**
 * The role matrix: every operation of the OpenAPI document, every persona. Who is allowed comes
 * from the document's `x-roles` (which the route book writes from the same declaration that guards
 * the route), so the matrix cannot drift from the routes, and a route added without a row here
 * fails the first test. An ended enrollment owned by the applicant is the target, so allowed calls
 * come back 409 ("the enrollment has ended") and change nothing, refused roles and other applicants
 * get 403, no token 401.
 */
import { statusQuery } from '../../src/workflows/definitions';
import { cspApplication } from '../fixtures';
import { PERSONAS, startApiStack, startBody, type ApiStack, type Persona } from '../harness/api-stack';

let api: ApiStack;
let id: string;
/** operationId -> method, path template and the roles the document allows. */
const documented = new Map<string, { method: string; path: string; roles: string[] }>();
beforeAll(async () => {
  api = await startApiStack('api-roles');
  const started = await api.call('applicant', 'POST', '/enrollments', startBody());
  id = started.body.enrollmentId;
  await api.call('applicant', 'POST', `/enrollments/${id}/withdraw`, {});
  await api.stack.temporal.client.workflow.getHandle(id).result(); // closed: nothing moves any more
  const { body } = await api.call(undefined, 'GET', '/openapi.json');
  for (const [path, operations] of Object.entries(
    body.paths as Record<string, Record<string, { operationId: string; 'x-roles'?: string[] }>>,
  ))
    for (const [method, operation] of Object.entries(operations))
      if (operation['x-roles'])
        documented.set(operation.operationId, {
          method: method.toUpperCase(),
          path,
          roles: operation['x-roles'],
        });
});
afterAll(() => api?.close());

const EVERYONE = Object.keys(PERSONAS) as Persona[];
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

/** A valid body (or none) for each operation that takes a token; path parameters filled below. */
const OPERATIONS: Record<
  string,
  { body?: () => unknown; key?: string; query?: string; headers?: Record<string, string> }
> = {
  whoAmI: {},
  listEnrollments: {},
  getEnrollment: {},
  getEnrollmentAudit: {},
  listPendingReviews: {},
  startEnrollment: { body: () => startBody() },
  submitPhoneCode: { body: () => ({ code: '123456' }) },
  requestPhoneCode: { body: () => ({}) },
  submitApplication: { body: () => cspApplication() },
  answerInformationRequest: { body: () => ({ answer: 'here' }) },
  // The signer is the caller's proven email: the body does not name one.
  acceptAgreement: { body: () => ({ agreementVersion: 'v', textDigest: 'a'.repeat(64) }) },
  correctAccountDetails: { body: () => ({ workAccount: { kind: 'new', domainPrefix: 'yunfan-two' } }) },
  withdraw: { body: () => ({}) },
  decideReview: { body: () => ({ decision: 'approve' }) },
  claimReview: { body: () => ({}) },
  releaseReview: { body: () => ({}) },
  reassignReview: { body: () => ({ to: { id: 'reviewer-2', role: 'reviewer' } }) },
  resolveIncident: { body: () => ({ action: 'retry', reason: 'the cause is fixed' }) },
  extendDeadline: { body: () => ({ until: inAWeek(), reason: 'the applicant is travelling' }) },
  resendNotification: { body: () => ({}), key: 'withdrawn' },
  uploadDocument: {
    body: () => '%PDF-1.7\n%%EOF\n',
    query: '?name=licence.pdf',
    headers: { 'Content-Type': 'application/pdf' },
  },
  // The enrollment has none: allowed callers learn that (404), the others not even that (403).
  readDocument: { key: `doc-${'0'.repeat(32)}` },
};
/** Applicants who neither started the enrollment nor are its global admin. */
const STRANGERS: Persona[] = ['otherApplicant', 'assistant'];

test('every operation of the OpenAPI document that takes a token has a row in the matrix', () => {
  expect([...documented.keys()].sort()).toEqual(Object.keys(OPERATIONS).sort());
});

function request(operationId: string) {
  const operation = documented.get(operationId);
  if (!operation) throw new Error(`${operationId} is not in the OpenAPI document`);
  const row = OPERATIONS[operationId];
  const path = operation.path.replace('{id}', id).replace(/\{(key|documentId)\}/, row.key ?? 'none');
  return { ...operation, url: path + (row.query ?? ''), body: row.body?.(), headers: row.headers };
}

describe.each(Object.keys(OPERATIONS))('%s', (operationId) => {
  test.each(EVERYONE)('as %s', async (persona) => {
    const { method, path, roles, url, body, headers } = request(operationId);
    // Another applicant's enrollment is not theirs, whatever their role may do.
    const allowed =
      roles.includes(PERSONAS[persona].role) && !(path.includes('{id}') && STRANGERS.includes(persona));
    const before = await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);
    const answer = await api.call(persona, method, url, body, headers);
    if (!allowed) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    } else if (operationId === 'readDocument') {
      expect(answer.status).toBe(404);
    } else if (method === 'GET') {
      expect(answer.status).toBe(200);
    } else if (operationId === 'startEnrollment') {
      expect(answer.status).toBe(201);
    } else {
      expect(answer.status).toBe(409);
      expect(answer.body.error.message).toBe('the enrollment has ended');
    }
    expect(await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery)).toEqual(before);
  });

  test('without a token', async () => {
    const { method, url, body, headers } = request(operationId);
    const answer = await api.call(undefined, method, url, body, headers);
    expect(answer.status).toBe(401);
  });
});
