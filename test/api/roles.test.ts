/**
 * The role matrix: every operation, every role. An ended enrollment owned by the applicant is the
 * target, so allowed calls come back 409 ("the enrollment has ended") and change nothing, refused
 * roles get 403, no token 401.
 */
import { statusQuery } from '../../src/workflows/definitions';
import { cspApplication } from '../fixtures';
import { PERSONAS, startApiStack, startBody, type ApiStack, type Persona } from '../harness/api-stack';

let api: ApiStack;
let id: string;
beforeAll(async () => {
  api = await startApiStack('api-roles');
  const started = await api.call('applicant', 'POST', '/enrollments', startBody());
  id = started.body.enrollmentId;
  await api.call('applicant', 'POST', `/enrollments/${id}/withdraw`, {});
  await api.stack.temporal.client.workflow.getHandle(id).result(); // closed: nothing moves any more
});
afterAll(() => api?.close());

type Operation = [
  name: string,
  method: 'GET' | 'POST',
  path: () => string,
  body: unknown,
  allowed: Persona[],
];
const APPLICANT: Persona[] = ['applicant'];
const REVIEWERS: Persona[] = ['reviewer', 'secondReviewer', 'lead'];
const EVERYONE: Persona[] = Object.keys(PERSONAS) as Persona[];

const OPERATIONS: Operation[] = [
  ['read', 'GET', () => `/enrollments/${id}`, undefined, EVERYONE.filter((p) => p !== 'otherApplicant')],
  ['list', 'GET', () => '/enrollments', undefined, EVERYONE],
  ['queue', 'GET', () => '/reviews', undefined, [...REVIEWERS, 'operator']],
  ['start', 'POST', () => '/enrollments', 'start', ['applicant', 'otherApplicant']],
  ['phone code', 'POST', () => `/enrollments/${id}/phone-code`, { code: '123456' }, APPLICANT],
  ['new phone code', 'POST', () => `/enrollments/${id}/phone-code/new`, {}, APPLICANT],
  ['application', 'POST', () => `/enrollments/${id}/application`, 'application', APPLICANT],
  ['information', 'POST', () => `/enrollments/${id}/information`, { answer: 'here' }, APPLICANT],
  [
    'agreement',
    'POST',
    () => `/enrollments/${id}/agreement`,
    { agreementVersion: 'v', textDigest: 'a'.repeat(64) },
    APPLICANT,
  ],
  ['withdraw', 'POST', () => `/enrollments/${id}/withdraw`, {}, ['applicant', 'operator']],
  ['decision', 'POST', () => `/enrollments/${id}/decision`, { decision: 'approve' }, REVIEWERS],
  ['claim', 'POST', () => `/enrollments/${id}/review/claim`, {}, REVIEWERS],
  ['release', 'POST', () => `/enrollments/${id}/review/release`, {}, REVIEWERS],
  [
    'reassign',
    'POST',
    () => `/enrollments/${id}/review/reassign`,
    { to: { id: 'reviewer-2', role: 'reviewer' } },
    ['lead'],
  ],
];

function bodyFor(body: unknown): unknown {
  if (body === 'start') return startBody();
  if (body === 'application') return cspApplication();
  return body;
}

describe.each(OPERATIONS)('%s', (_name, method, path, body, allowed) => {
  test.each(EVERYONE)('as %s', async (persona) => {
    const before = await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);
    const answer = await api.call(persona, method, path(), bodyFor(body));
    if (!allowed.includes(persona)) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    } else if (method === 'GET' || path() === '/enrollments') {
      expect([200, 201]).toContain(answer.status);
    } else {
      expect(answer.status).toBe(409);
      expect(answer.body.error.message).toBe('the enrollment has ended');
    }
    expect(await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery)).toEqual(before);
  });

  test('without a token', async () => {
    const answer = await api.call(undefined, method, path(), bodyFor(body));
    expect(answer.status).toBe(401);
  });
});
