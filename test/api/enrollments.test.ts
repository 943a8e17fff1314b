/**
 * Starting, reading and listing enrollments over real HTTP against the dev server and a worker:
 * idempotency, ownership, the credit result hidden from applicants, and the 400/401/403/404/409s.
 */
import { enrollmentRequest, reviewer } from '../fixtures';
import { acceptOffer, approve, start, submitApplication, waitForReview } from '../harness/driver';
import {
  enrollToReview,
  startApiStack,
  startBody,
  waitForApiStatus,
  waitForQueue,
  type ApiStack,
} from '../harness/api-stack';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack('api-enrollments');
});
afterAll(() => api?.close());

test('an applicant starts an enrollment and owns it; the body cannot name an owner', async () => {
  const body = startBody();
  const started = await api.call('applicant', 'POST', '/enrollments', body);
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({
    enrollmentId: expect.stringMatching(/^enrollment-/),
    stage: 'account-setup',
  });
  expect(started.headers.get('location')).toBe(`/enrollments/${started.body.enrollmentId}`);

  const mine = await api.call('applicant', 'GET', `/enrollments/${started.body.enrollmentId}`);
  expect(mine.status).toBe(200);
  expect(mine.body.owner).toBe('wei.zhang');

  const withOwner = await api.call('applicant', 'POST', '/enrollments', {
    ...startBody(),
    owner: 'someone-else',
  });
  expect(withOwner.status).toBe(400);
  expect(withOwner.body.error.message).toMatch(/owner/);

  // The same organization again, while the first runs.
  const again = await api.call('applicant', 'POST', '/enrollments', body);
  expect(again.status).toBe(409);
  expect(again.body.error).toMatchObject({
    code: 'already-running',
    message: expect.stringContaining('already running'),
  });
});

test('an organization whose enrollment completed is refused a new one: 409 already-enrolled, nothing started', async () => {
  // Completed quickly through the client (the API sets no policy): no phone check, fast provisioning.
  const request = enrollmentRequest({
    owner: 'wei.zhang',
    policy: { phoneVerification: { required: false }, provisioning: { pollEvery: '200 ms' } },
  });
  const handle = await start(api.stack.temporal.client, api.stack.taskQueue, request);
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await acceptOffer(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });
  const { runId } = await handle.describe();

  const again = await api.call(
    'applicant',
    'POST',
    '/enrollments',
    startBody({ organization: request.organization }),
  );
  expect(again.status).toBe(409);
  expect(again.body.error).toEqual({
    code: 'already-enrolled',
    message: `this organization is already enrolled in the 21Vianet CSP program (${handle.workflowId})`,
  });
  // Still the completed run: nothing new started.
  expect((await handle.describe()).runId).toBe(runId);
  const status = await api.call('applicant', 'GET', `/enrollments/${handle.workflowId}`);
  expect(status.body).toMatchObject({ stage: 'ended', endState: 'completed' });
});

test('Idempotency-Key: the same request gets the same answer; another body with the key is a 422', async () => {
  const body = startBody();
  const headers = { 'Idempotency-Key': 'start-once-1' };
  const first = await api.call('applicant', 'POST', '/enrollments', body, headers);
  const second = await api.call('applicant', 'POST', '/enrollments', body, headers);
  expect(first.status).toBe(201);
  expect(second.status).toBe(201);
  expect(second.body).toEqual(first.body);
  expect(second.headers.get('idempotent-replayed')).toBe('true');

  const other = await api.call('applicant', 'POST', '/enrollments', startBody(), headers);
  expect(other.status).toBe(422);
  expect(other.body.error.code).toBe('idempotency-key-reused');
  // Another caller's key is its own.
  const elsewhere = await api.call('otherApplicant', 'POST', '/enrollments', startBody(), headers);
  expect(elsewhere.status).toBe(201);
});

test('bad input is a 400 naming the fields, and starts nothing', async () => {
  const body = startBody();
  const bad = { ...body, organization: { ...body.organization, phone: '+1 415 555 0100' }, extra: true };
  const answer = await api.call('applicant', 'POST', '/enrollments', bad);
  expect(answer.status).toBe(400);
  expect(answer.body.error.code).toBe('invalid-input');
  const paths = answer.body.error.fields.map((f: { path: string }) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['body.organization.phone']));
  expect(answer.body.error.message).toMatch(/extra/);
  // One work account, one way: both an existing domain and a new prefix is no request at all.
  const both = await api.call('applicant', 'POST', '/enrollments', {
    ...body,
    organization: {
      ...body.organization,
      workAccount: { kind: 'existing', domain: 'yunfan.partner.onmschina.cn', domainPrefix: 'yunfan' },
    },
  });
  expect(both.status).toBe(400);
  expect(both.body.error.fields.map((f: { path: string }) => f.path)).toEqual(
    expect.arrayContaining(['body.organization.workAccount']),
  );

  const notJson = await api.call('applicant', 'POST', '/enrollments', '{"organization":', {
    'Content-Type': 'application/json',
  });
  expect(notJson.status).toBe(400);
  const badId = await api.call('reviewer', 'GET', '/enrollments/not-an-id');
  expect(badId.status).toBe(400);
  expect(badId.body.error.fields[0].path).toBe('params.id');
  const badQuery = await api.call('reviewer', 'GET', '/enrollments?stage=nowhere');
  expect(badQuery.status).toBe(400);
  const badPage = await api.call('reviewer', 'GET', '/enrollments?pageToken=garbage');
  expect(badPage.status).toBe(400);

  // Nothing started for the refused request.
  const never = await api.call(
    'reviewer',
    'GET',
    `/enrollments/enrollment-${body.organization.registrationNumber}`,
  );
  expect(never.status).toBe(404);
});

test('401 without a valid token, 403 for the wrong role or another applicant, 404 for an unknown enrollment', async () => {
  const none = await api.call(undefined, 'GET', '/enrollments');
  expect(none.status).toBe(401);
  expect(none.headers.get('www-authenticate')).toBe('Bearer');
  const wrong = await fetch(`${api.url}/enrollments`, { headers: { Authorization: 'Bearer not-a-token' } });
  expect(wrong.status).toBe(401);
  await wrong.text();

  const asReviewer = await api.call('reviewer', 'POST', '/enrollments', startBody());
  expect(asReviewer.status).toBe(403);

  const started = await api.call('applicant', 'POST', '/enrollments', startBody());
  const id = started.body.enrollmentId;
  const foreign = await api.call('otherApplicant', 'GET', `/enrollments/${id}`);
  expect(foreign.status).toBe(403);
  const foreignAct = await api.call('otherApplicant', 'POST', `/enrollments/${id}/withdraw`, {});
  expect(foreignAct.status).toBe(403);

  const unknown = await api.call('reviewer', 'GET', '/enrollments/enrollment-91310000ZZZZ00000X');
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('not-found');
  const unknownAct = await api.call(
    'applicant',
    'POST',
    '/enrollments/enrollment-91310000ZZZZ00000X/withdraw',
    {},
  );
  expect(unknownAct.status).toBe(404);
});

test('applicants list only their own enrollments and see only what is theirs to see', async () => {
  const id = await enrollToReview(api, {}, 'otherApplicant');

  const forApplicant = await api.call('otherApplicant', 'GET', `/enrollments/${id}`);
  expect(forApplicant.body.review.credit).toBeUndefined();
  expect(forApplicant.body.review.approvalsNeeded).toBeUndefined();
  expect(forApplicant.body.review.flags).toBeUndefined();
  const actions = forApplicant.body.audit.map((e: { action: string }) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['application submitted', 'stage review']));
  expect(actions).not.toContain('credit check done');
  expect(JSON.stringify(forApplicant.body)).not.toMatch(/riskBand|score|reviewer-1/);
  const forReviewer = await api.call('reviewer', 'GET', `/enrollments/${id}`);
  expect(forReviewer.body.review.credit).toMatchObject({
    score: expect.any(Number),
    riskBand: expect.any(String),
  });
  expect(forReviewer.body.application.mpnId).toBe('6123456');

  const mine = await waitForQueue(api, 'otherApplicant', '/enrollments?stage=review', (items) =>
    items.some((item) => item.enrollmentId === id),
  );
  expect(mine.every((item) => item.creditRisk === undefined)).toBe(true);
  const all = await api.call('otherApplicant', 'GET', '/enrollments?pageSize=200');
  const owners = await Promise.all(
    all.body.items.map(async (item: { enrollmentId: string }) => {
      const status = await api.call('reviewer', 'GET', `/enrollments/${item.enrollmentId}`);
      return status.body.owner;
    }),
  );
  expect(new Set(owners)).toEqual(new Set(['li.na']));

  const staff = await waitForQueue(api, 'operator', '/enrollments?stage=review', (items) =>
    items.some((item) => item.enrollmentId === id && item.creditRisk),
  );
  expect(staff.find((item) => item.enrollmentId === id)).toMatchObject({
    stage: 'review',
    reviewDue: expect.any(String),
  });
  await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'review', 'still in review');
});

test('pages: pageSize and nextPageToken walk the list without repeats', async () => {
  await api.call('applicant', 'POST', '/enrollments', startBody());
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await api.call(
      'reviewer',
      'GET',
      `/enrollments?pageSize=2${token ? `&pageToken=${token}` : ''}`,
    );
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.body.items.map((item: { enrollmentId: string }) => item.enrollmentId));
    token = page.body.nextPageToken;
    pages += 1;
  } while (token && pages < 50);
  expect(pages).toBeGreaterThan(1);
  expect(new Set(seen).size).toBe(seen.length);
});
