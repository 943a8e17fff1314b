/**
 * The API's and the worker's log lines: JSON, one per line; each request's ID (the caller's when
 * well-formed, else a new one, echoed in the answer) on the API's lines, the workflow's and its
 * activities'; every 5xx with its message and stack; never a token or the applicant's personal
 * data, whether it came in a header, a body or a URL.
 */
import { codeArrived } from '../../src/domain/status';
import type { AuditLog } from '../../src/integrations/audit/audit-log';
import { buildApiServer } from '../../src/api/server';
import { ownerIds } from '../../src/client/owner-ids';
import { sdkLogger } from '../../src/worker/runtime';
import {
  callAs,
  personaTokens,
  startApiStack,
  startBody,
  tokenOf,
  waitForApiStatus,
  type ApiStack,
} from '../harness/api-stack';
import { TEST_KEY_RING } from '../harness/keys';
import { capturedLog, type CapturedLog } from '../harness/logs';
import { runtimeLogsTo } from '../harness/quiet-runtime';
import { setTimeout as delay } from 'node:timers/promises';

let api: ApiStack;
let logs: CapturedLog;

beforeAll(async () => {
  logs = capturedLog();
  // The worker's lines (the SDK's, the workflow's, the activities') into the same capture.
  runtimeLogsTo(sdkLogger(logs.log.child({ component: 'worker' })));
  api = await startApiStack('api-logs', { log: logs.log.child({ component: 'api' }) });
});
afterAll(() => api?.close());

const START_REQUEST = 'req-logs-start-0001';
const PHONE_REQUEST = 'req-logs-phone-0002';

async function untilLogged(what: string, found: (line: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 20_000;
  while (!logs.lines().some(found)) {
    if (Date.now() > deadline) throw new Error(`never logged: ${what}\n${logs.text()}`);
    await delay(100);
  }
}

test('a request ID goes from the API to the workflow and its activities; no token or personal data is logged', async () => {
  const body = startBody();
  const mobile = body.organization.phone.replace(/\s/g, '');
  const email = body.globalAdmin.email;
  const started = await api.call('applicant', 'POST', '/enrollments', body, {
    'X-Request-Id': START_REQUEST,
  });
  expect(started.status).toBe(201);
  expect(started.headers.get('x-request-id')).toBe(START_REQUEST);
  const id = started.body.enrollmentId as string;

  const status = await waitForApiStatus(api, 'applicant', id, (s) => codeArrived(s), 'the SMS code');
  expect(status.stage).toBe('phone-verification');
  const [sms] = api.stack.simulator.sentCodes(mobile);
  const phone = await api.call(
    'applicant',
    'POST',
    `/enrollments/${id}/phone-code`,
    { code: sms.code },
    { 'X-Request-Id': PHONE_REQUEST },
  );
  expect(phone.status).toBe(200);

  // An ID that is no ID (an email) is replaced, and personal data in a query string stays out.
  const odd = await api.call(
    'applicant',
    'GET',
    `/enrollments/${id}?contact=${encodeURIComponent(email)}&phone=${encodeURIComponent(mobile)}`,
    undefined,
    { 'X-Request-Id': email },
  );
  const generated = odd.headers.get('x-request-id');
  expect(generated).toMatch(/^[0-9a-f-]{36}$/);

  await untilLogged('the workflow started on the request', (line) => {
    return (
      line.message === 'started on request' && line.requestId === START_REQUEST && line.workflowId === id
    );
  });
  await untilLogged('the update under its request', (line) => {
    return line.message === 'update completed' && line.requestId === PHONE_REQUEST && line.workflowId === id;
  });
  await untilLogged('an activity the start started', (line) => {
    return !!line.activityType && line.requestId === START_REQUEST && line.workflowId === id;
  });

  const lines = logs.lines();
  // The API's own lines: each request in and out, under its ID; headers redacted, no query string.
  const incoming = lines.find(
    (line) => line.requestId === START_REQUEST && line.message === 'incoming request',
  );
  expect(incoming).toMatchObject({
    level: 'INFO',
    component: 'api',
    req: { method: 'POST', path: '/enrollments', headers: { authorization: '[Redacted]' } },
  });
  expect(typeof incoming?.time).toBe('string');
  expect(lines).toContainEqual(
    expect.objectContaining({
      requestId: PHONE_REQUEST,
      message: 'request completed',
      res: { statusCode: 200 },
    }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({
      requestId: generated,
      req: expect.objectContaining({ path: `/enrollments/${id}` }),
    }),
  );

  const text = logs.text();
  for (const secret of [tokenOf('applicant'), email, mobile, mobile.slice(3), body.organization.phone])
    expect({ secret, logged: text.includes(secret) }).toEqual({ secret, logged: false });
});

test('a 5xx is logged with its message and stack under the request ID; the caller sees neither', async () => {
  const brokenAuditLog: AuditLog = {
    append: () => Promise.resolve(),
    read: () => Promise.reject(new Error('audit store unreachable: disk full')),
  };
  const broken = buildApiServer({
    client: api.stack.temporal.client,
    taskQueue: api.stack.taskQueue,
    tokens: personaTokens(),
    ownerIds: ownerIds(TEST_KEY_RING),
    auditLog: brokenAuditLog,
    rateLimits: { perMinute: 1_000_000, sendsPerHour: 1_000_000 },
    log: logs.log.child({ component: 'api' }),
  });
  try {
    const call = callAs(await broken.listen({ host: '127.0.0.1', port: 0 }));
    const started = await call('applicant', 'POST', '/enrollments', startBody());
    expect(started.status).toBe(201);
    const id = started.body.enrollmentId as string;
    const audit = await call('operator', 'GET', `/enrollments/${id}/audit`, undefined, {
      'X-Request-Id': 'req-logs-audit-0003',
    });
    expect(audit.status).toBe(500);
    expect(JSON.stringify(audit.body)).not.toContain('disk full');
    expect(audit.headers.get('x-request-id')).toBe('req-logs-audit-0003');

    const failure = logs
      .lines()
      .find((line) => line.requestId === 'req-logs-audit-0003' && line.level === 'ERROR');
    expect(failure).toMatchObject({
      message: 'audit store unreachable: disk full',
      route: '/enrollments/:id/audit',
      status: 500,
      error: { type: 'Error', message: 'audit store unreachable: disk full' },
    });
    expect((failure?.error as { stack: string }).stack).toMatch(/disk full\n\s+at /);
    expect(logs.text()).not.toContain(tokenOf('operator'));
  } finally {
    await broken.close();
  }
});
