/**
 * GET /enrollments/{id}/audit over HTTP, on the real parts: the worker writes every entry to the
 * audit log's files, the API pages through them — well past the latest entries the status keeps —
 * staff seeing everything, the applicant what their view allows; bad page parameters are 400s
 * naming the field, another applicant's trail a 403.
 */
import fs from 'node:fs';
import path from 'node:path';
import { auditDir } from '../../src/integrations/audit/from-config';
import { ownerIds } from '../../src/client/owner-ids';
import { startEnrollment } from '../../src/client/enrollments';
import type { AuditEntry } from '../../src/domain/status';
import { codeArrived } from '../../src/domain/status';
import { statusQuery } from '../../src/workflows/definitions';
import { cspApplication } from '../fixtures';
import {
  PERSONAS,
  startApiStack,
  startBody,
  waitForApiStatus,
  type ApiStack,
  type Persona,
} from '../harness/api-stack';
import { TEST_KEY_RING } from '../harness/keys';

const KEEP = 50;
let api: ApiStack;
let id: string;
beforeAll(async () => {
  api = await startApiStack('api-audit');
  // Through the client, for a policy of its own: a short status, reviewers reminded twice a second.
  const body = startBody();
  const handle = await startEnrollment(api.stack.temporal.client, {
    taskQueue: api.stack.taskQueue,
    request: {
      ...body,
      owner: PERSONAS.applicant.id,
      policy: { audit: { keepLatest: KEEP, writeEvery: 5 }, review: { reminderEvery: '500 ms' } },
    },
    ownerId: ownerIds(TEST_KEY_RING).current(PERSONAS.applicant.id),
  });
  id = handle.workflowId;
  await waitForApiStatus(api, 'applicant', id, (s) => codeArrived(s), 'the SMS code');
  const [sms] = api.stack.simulator.sentCodes(body.organization.phone.replace(/\s/g, ''));
  await api.call('applicant', 'POST', `/enrollments/${id}/phone-code`, { code: sms.code });
  await waitForApiStatus(api, 'applicant', id, (s) => s.stage === 'application', 'application stage');
  await api.call('applicant', 'POST', `/enrollments/${id}/application`, cspApplication());
  await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'review', 'review');
  await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {});
  // Reminders pile up entries past what the status keeps; then the enrollment ends, all written.
  await waitForApiStatus(api, 'operator', id, (s) => (s.audit.at(-1)?.seq ?? 0) > KEEP + 15, 'entries');
  await api.call('applicant', 'POST', `/enrollments/${id}/withdraw`, {});
  await api.stack.temporal.client.workflow.getHandle(id).result();
}, 120_000);
afterAll(() => api?.close());

async function everyPage(persona: Persona, pageSize: number): Promise<AuditEntry[]> {
  const items: AuditEntry[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const query = `pageSize=${pageSize}${token ? `&pageToken=${token}` : ''}`;
    const page = await api.call(persona, 'GET', `/enrollments/${id}/audit?${query}`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(pageSize);
    items.push(...page.body.items);
    token = page.body.nextPageToken;
    if (!token) return items;
  }
  throw new Error('too many pages');
}

test('staff page through every entry, far past what the status keeps', async () => {
  const status = await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);
  expect(status.audit.length).toBe(KEEP);
  const trail = await everyPage('operator', 17);
  expect(trail.map((entry) => entry.seq)).toEqual(trail.map((_, i) => i + 1));
  expect(trail.length).toBe(status.audit.at(-1)!.seq);
  expect(trail.slice(-KEEP)).toEqual(status.audit);
  expect(trail.map((entry) => entry.action)).toEqual(
    expect.arrayContaining([
      'stage account-setup',
      'credit check done',
      'review claimed',
      'enrollment withdrawn',
    ]),
  );
  // The worker's files: the owner's only.
  const file = path.join(auditDir(api.stack.config), id, `${status.attemptId}.jsonl`);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
});

test('the applicant pages through what concerns them only', async () => {
  const trail = await everyPage('applicant', 10);
  const actions = trail.map((entry) => entry.action);
  expect(actions).toEqual(
    expect.arrayContaining(['stage account-setup', 'phone verified', 'enrollment withdrawn']),
  );
  for (const internal of ['credit check done', 'review claimed', 'reminder #1 to reviewers'])
    expect(actions).not.toContain(internal);
  expect(JSON.stringify(trail)).not.toMatch(/reviewer-1|score|risk/);
  const seqs = trail.map((entry) => entry.seq!);
  expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  expect(new Set(seqs).size).toBe(seqs.length);
});

test('another applicant’s trail is a 403; bad page parameters are 400s naming the field', async () => {
  expect((await api.call('otherApplicant', 'GET', `/enrollments/${id}/audit`)).status).toBe(403);
  expect((await api.call(undefined, 'GET', `/enrollments/${id}/audit`)).status).toBe(401);
  for (const [query, field] of [
    ['pageToken=bogus', 'query.pageToken'],
    ['pageSize=0', 'query.pageSize'],
    ['pageSize=201', 'query.pageSize'],
    ['cursor=1', 'query'],
  ]) {
    const answer = await api.call('operator', 'GET', `/enrollments/${id}/audit?${query}`);
    expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    expect(answer.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  }
});
