/**
 * Per-token rate limits: a subject past its limit gets 429 with Retry-After in the service's error
 * shape, while another subject from the same address goes on; the routes that send SMS or email
 * have a tighter limit of their own; health probes are never limited.
 */
import { startApiStack, startBody, type ApiStack } from '../harness/api-stack';

const PER_MINUTE = 5;
const SENDS_PER_HOUR = 2;
let api: ApiStack;

beforeAll(async () => {
  api = await startApiStack('api-limits', {
    rateLimits: { perMinute: PER_MINUTE, sendsPerHour: SENDS_PER_HOUR },
  });
});
afterAll(() => api?.close());

test('a subject past its limit gets 429 with Retry-After; another subject is not affected', async () => {
  const statuses = [];
  for (let i = 0; i < PER_MINUTE + 1; i++) statuses.push((await api.call('reviewer', 'GET', '/me')).status);
  expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429]);
  const refused = await api.call('reviewer', 'GET', '/reviews');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(refused.body).toEqual({
    error: { code: 'rate-limited', message: expect.stringMatching(/too many requests.*try again in \d+ s/) },
  });
  // Same address, another token: its own count.
  expect((await api.call('secondReviewer', 'GET', '/me')).status).toBe(200);
});

test('starting enrollments has its own, tighter limit, and a refused start starts nothing', async () => {
  const bodies = [startBody(), startBody(), startBody()];
  const answers = [];
  for (const body of bodies) answers.push(await api.call('applicant', 'POST', '/enrollments', body));
  expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
  const third = `enrollment-${bodies[2].organization.registrationNumber}`;
  await expect(api.stack.temporal.client.workflow.getHandle(third).describe()).rejects.toThrow();
  for (const answer of answers.slice(0, 2))
    await api.stack.temporal.client.workflow.getHandle(answer.body.enrollmentId).terminate('test over');
});

test('health probes are never limited', async () => {
  for (let i = 0; i < PER_MINUTE * 3; i++)
    expect((await api.call(undefined, 'GET', '/health')).status).toBe(200);
});
