/**
 * The service stack plus the HTTP API on 127.0.0.1 port 0, with one token per test persona, and
 * helpers that play an applicant over HTTP.
 */
import type { FastifyInstance } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { buildApiServer } from '../../src/api/server';
import { tokenTable, type Caller } from '../../src/api/tokens';
import type { EnrollmentRequestInput } from '../../src/domain/enrollment';
import type { EnrollmentStatus } from '../../src/domain/status';
import { cspApplication, enrollmentRequest } from '../fixtures';
import { startServiceStack, type ServiceStack } from './stack';

export const PERSONAS = {
  applicant: { id: 'wei.zhang', role: 'applicant' },
  otherApplicant: { id: 'li.na', role: 'applicant' },
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
  /** A request as `persona` (or without a token when undefined). */
  call<T = Json>(
    persona: Persona | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer<T>>;
  close(): Promise<void>;
}

export async function startApiStack(name: string): Promise<ApiStack> {
  const stack = await startServiceStack(name);
  const tokens = tokenTable(
    (Object.keys(PERSONAS) as Persona[]).map((persona) => ({
      token: tokenOf(persona),
      caller: PERSONAS[persona],
    })),
  );
  const app = buildApiServer({
    client: stack.temporal.client,
    taskQueue: stack.taskQueue,
    tokens,
    log: () => {},
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    stack,
    app,
    url,
    async call(persona, method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(persona ? { Authorization: `Bearer ${tokenOf(persona)}` } : {}),
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
    },
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
  const {
    policy: _policy,
    owner: _owner,
    ...body
  } = { ...base, globalAdmin: { ...base.globalAdmin, mobile } };
  return body;
}

/** Polls GET /enrollments/:id as `persona` until `predicate` holds. */
export async function waitForApiStatus(
  api: ApiStack,
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
  api: ApiStack,
  overrides: Partial<EnrollmentRequestInput> = {},
  persona: Persona = 'applicant',
): Promise<string> {
  const body = startBody(overrides);
  const started = await api.call(persona, 'POST', '/enrollments', body);
  if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.enrollmentId as string;
  await waitForApiStatus(api, persona, id, (s) => s.phoneVerification.codesSent > 0, 'the SMS code');
  const mobile = body.globalAdmin.mobile.replace(/\s/g, '');
  const [sms] = api.stack.simulator.sentCodes(mobile);
  const phone = await api.call(persona, 'POST', `/enrollments/${id}/phone-code`, { code: sms.code });
  if (phone.status !== 200) throw new Error(`phone code: ${phone.status} ${JSON.stringify(phone.body)}`);
  await waitForApiStatus(api, persona, id, (s) => s.stage === 'application', 'application stage');
  const applied = await api.call(persona, 'POST', `/enrollments/${id}/application`, cspApplication());
  if (applied.status !== 200)
    throw new Error(`application: ${applied.status} ${JSON.stringify(applied.body)}`);
  await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'review' && !!s.review.credit, 'review');
  return id;
}

/** Visibility is eventually consistent: polls the queue until `predicate` holds. */
export async function waitForQueue(
  api: ApiStack,
  persona: Persona,
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
