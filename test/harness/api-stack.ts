/**
 * The service stack plus the HTTP API on 127.0.0.1 port 0, with one token per test persona, and
 * helpers that play an applicant over HTTP.
 */
import { codeArrived, emailsSettled } from '../../src/domain/status';
import type { FastifyInstance } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { buildApiServer, type ApiDeps } from '../../src/api/server';
import { tokenTable, type Caller } from '../../src/api/tokens';
import { ownerIds } from '../../src/client/owner-ids';
import { auditLogFrom } from '../../src/integrations/audit/from-config';
import { TEST_KEY_RING } from './keys';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import type { EnrollmentStatus } from '../../src/domain/status';
import { cspApplication, enrollmentRequest } from '../fixtures';
import type { Simulator } from '../../src/stand-ins/simulator';
import { startServiceStack, type ServiceStack } from './stack';
import { quietLog } from './logs';

/**
 * The applicant is also the global admin the start bodies name (its token proves that email); the
 * other applicant, a colleague with an email of her own; the assistant's token proves no email.
 */
export const PERSONAS = {
  applicant: { id: 'wei.zhang', role: 'applicant', email: 'wei.zhang@yunfan.example.cn' },
  otherApplicant: { id: 'li.na', role: 'applicant', email: 'li.na@yunfan.example.cn' },
  assistant: { id: 'zhao.lei', role: 'applicant' },
  reviewer: { id: 'reviewer-1', role: 'reviewer' },
  secondReviewer: { id: 'reviewer-2', role: 'reviewer' },
  lead: { id: 'lead-1', role: 'review-lead' },
  operator: { id: 'operator-1', role: 'operator' },
} as const satisfies Record<string, Caller>;
export type Persona = keyof typeof PERSONAS;

export const tokenOf = (persona: Persona) => `test-token-${persona}-0123456789abcdef`;

/** Answers are JSON of many shapes; tests read them loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiStack {
  stack: ServiceStack;
  app: FastifyInstance;
  url: string;
  /** A request as `persona`, with a token of its own (`{ token }`), or without one (undefined). */
  call<T = Json>(
    persona: Persona | { token: string } | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer<T>>;
  close(): Promise<void>;
}

/** What the helpers below need: requests as a persona, and the simulator's SMS outbox. */
export type HttpApi = Pick<ApiStack, 'call'> & { stack: { simulator: Pick<Simulator, 'sentCodes'> } };

/** Requests to an API at `url` with the personas' tokens (the API in this process or another). */
export function callAs(url: string): ApiStack['call'] {
  return async (persona, method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(persona
          ? { Authorization: `Bearer ${typeof persona === 'string' ? tokenOf(persona) : persona.token}` }
          : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as never, headers: response.headers };
  };
}

/** The personas' token table, as the API is given it. */
export const personaTokens = () =>
  tokenTable(
    (Object.keys(PERSONAS) as Persona[]).map((persona) => ({
      token: tokenOf(persona),
      caller: PERSONAS[persona],
    })),
  );

export async function startApiStack(
  name: string,
  options: Pick<ApiDeps, 'oidc' | 'rateLimits' | 'updateDeadlineMs' | 'documents'> &
    Partial<Pick<ApiDeps, 'log'>> = {},
): Promise<ApiStack> {
  const stack = await startServiceStack(name);
  const app = buildApiServer({
    client: stack.temporal.client,
    taskQueue: stack.taskQueue,
    tokens: personaTokens(),
    ownerIds: ownerIds(TEST_KEY_RING),
    auditLog: auditLogFrom(stack.config),
    // Suites poll the API as fast as they like; test/api/rate-limits.test.ts checks the limits.
    rateLimits: { perMinute: 1_000_000, sendsPerHour: 1_000_000 },
    log: quietLog(),
    ...options,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    stack,
    app,
    url,
    call: callAs(url),
    async close() {
      await app.close();
      await stack.close();
    },
  };
}

let mobiles = 0;
/** A start body with its own organization and +86 mobile, so each enrollment reads its own SMS. */
export function startBody(overrides: Partial<EnrollmentRequestInput> = {}): EnrollmentRequestInput {
  mobiles += 1;
  const base = enrollmentRequest(overrides);
  const mobile = `+86139${String(process.pid % 10_000).padStart(4, '0')}${String(mobiles).padStart(4, '0')}`;
  const { policy: _policy, owner: _owner, ...body } = base;
  return { ...body, organization: { ...body.organization, phone: mobile } };
}

/** Polls GET /enrollments/:id as `persona` until `predicate` holds. */
export async function waitForApiStatus(
  api: Pick<ApiStack, 'call'>,
  persona: Persona,
  id: string,
  predicate: (status: EnrollmentStatus) => boolean,
  what: string,
): Promise<EnrollmentStatus> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { status, body } = await api.call<EnrollmentStatus>(persona, 'GET', `/enrollments/${id}`);
    if (status === 200 && predicate(body)) return body;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${status} ${JSON.stringify(body)}`);
    await delay(50);
  }
}

/** Starts an enrollment as the applicant and takes it, over HTTP, to review with its credit result. */
export async function enrollToReview(
  api: HttpApi,
  overrides: Partial<EnrollmentRequestInput> = {},
  persona: Persona = 'applicant',
): Promise<string> {
  const body = startBody(overrides);
  const started = await api.call(persona, 'POST', '/enrollments', body);
  if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.enrollmentId as string;
  await waitForApiStatus(api, persona, id, (s) => codeArrived(s), 'the SMS code');
  const mobile = body.organization.phone.replace(/\s/g, '');
  const [sms] = api.stack.simulator.sentCodes(mobile);
  const phone = await api.call(persona, 'POST', `/enrollments/${id}/phone-code`, { code: sms.code });
  if (phone.status !== 200) throw new Error(`phone code: ${phone.status} ${JSON.stringify(phone.body)}`);
  await waitForApiStatus(api, persona, id, (s) => s.stage === 'application', 'application stage');
  const applied = await api.call(persona, 'POST', `/enrollments/${id}/application`, cspApplication());
  if (applied.status !== 200)
    throw new Error(`application: ${applied.status} ${JSON.stringify(applied.body)}`);
  await waitForApiStatus(
    api,
    'reviewer',
    id,
    (s) => s.stage === 'review' && !!s.review.credit && emailsSettled(s),
    'review',
  );
  return id;
}

/** Visibility is eventually consistent: polls the queue until `predicate` holds. */
export async function waitForQueue(
  api: Pick<ApiStack, 'call'>,
  persona: Persona | { token: string },
  path: string,
  predicate: (items: Json[]) => boolean,
): Promise<Json[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { status, body } = await api.call(persona, 'GET', path);
    if (status === 200 && predicate(body.items)) return body.items;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting on ${path}: ${status} ${JSON.stringify(body)}`);
    await delay(100);
  }
}
