/**
 * One node:http server standing in for the credit bureau, Partner Center and the SMS gateway.
 * Order per call: API key, route, body, latency, faults, Idempotency-Key, replay or handle, ledger.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerToken, sameSecret, secretDigest } from '../../auth/bearer';
import { answerClientError, MISSING_HOST, missingHost, SERVER_OPTIONS } from '../../http/client-error';
import { handleControl, REPLAYABLE_CONTROL } from './control';
import { type FaultDecision, FaultInjector, type FaultSettings } from './faults';
import { readJson, requestPath, sendError, sendJson, Timers } from './http-util';
import { Ledger } from './ledger';
import { Journal } from './journal';
import { matchRoute, ROUTES } from './routes';
import { DEFAULT_AGREEMENT } from './rules';
import { type AgreementText, type Answer, SimError, SimulatorState } from './state';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** When set, every request needs `Authorization: Bearer <apiKey>`, /__simulator/* included. */
  apiKey?: string;
  /** Time from start of provisioning to ready (or failed); default 300 ms. */
  provisioningMs?: number;
  /** Added before every service call; shorthand for faults.latencyMs. */
  latencyMs?: number;
  faults?: Partial<FaultSettings>;
  agreement?: AgreementText;
  /** Clock, for tests that need to move time. */
  now?: () => number;
  /** JSON-lines file that keeps state across restarts (see journal.ts); none: memory only. */
  stateFile?: string;
  /**
   * Every partner account's getting-started tasks count as done once it is ready (as for a company
   * named "QuickStart"): for test stacks and load runs that are not about those tasks.
   */
  tasksDoneWhenReady?: boolean;
}

export interface Simulator {
  url: string;
  port: number;
  ledger: Ledger;
  faults: FaultInjector;
  /** The code a verification sent, as the applicant would read it from the SMS. */
  verificationCode(verificationId: string): string;
  /** Codes sent (by SMS or voice call), oldest first, optionally to one +86 number only. */
  sentCodes(
    phone?: string,
  ): { verificationId: string; phone: string; channel: 'sms' | 'voice'; code: string; sentAt: string }[];
  /** A person completes a getting-started task in the partner account's settings. */
  completeTask(
    partnerAccountId: string,
    task: 'verify-profiles' | 'create-user-accounts' | 'customize-catalog',
  ): void;
  /** Forgets every account, answer and ledger entry; faults go back to their start settings. */
  reset(): void;
  close(): Promise<void>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.now ?? Date.now;
  // While the journal replays, the clock reads each call's original time.
  let replayingAt: number | undefined;
  const now = () => replayingAt ?? clock();
  const journal = options.stateFile ? new Journal(options.stateFile) : undefined;
  const ledger = new Ledger();
  const faults = new FaultInjector({
    ...options.faults,
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  });
  const state = new SimulatorState({
    provisioningMs: options.provisioningMs ?? 300,
    agreement: options.agreement ?? DEFAULT_AGREEMENT,
    tasksDoneWhenReady: options.tasksDoneWhenReady ?? false,
    now,
  });
  /** First answer per operation and Idempotency-Key. */
  const answers = new Map<string, Answer>();
  const timers = new Timers();
  const reset = () => {
    journal?.clear();
    state.clear();
    answers.clear();
    ledger.clear();
    faults.reset();
  };
  const authorized = apiKeyCheck(options.apiKey);

  for (const entry of journal?.entries() ?? []) {
    replayingAt = entry.at;
    const control = REPLAYABLE_CONTROL[entry.operation];
    if (control) {
      control(state, entry.params, entry.body);
      continue;
    }
    const route = ROUTES.find((candidate) => candidate.operation === entry.operation && candidate.creates);
    if (!route) continue;
    const answer = route.handle({
      state,
      params: entry.params,
      body: entry.body,
      idempotencyKey: entry.idempotencyKey,
    });
    answers.set(`${route.operation}\u0000${entry.idempotencyKey}`, answer);
  }
  replayingAt = undefined;

  async function handleService(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const match = matchRoute(req.method ?? '', path);
    if (match instanceof SimError) return sendError(res, match);
    const { route, params } = match;
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    await timers.sleep(faults.current.latencyMs);

    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' && header !== '' ? header : null;
    const record = (status: number, replayed = false, fault?: Exclude<FaultDecision, 'none'>) =>
      ledger.record({
        service: route.service,
        operation: route.operation,
        idempotencyKey: key,
        replayed,
        status,
        ...(fault ? { fault } : {}),
        at: new Date(now()).toISOString(),
      });

    const fault = faults.decide(route.service, now());
    if (fault === 'outage' || fault === 'error') {
      record(503, false, fault);
      const message =
        fault === 'outage' ? 'service unavailable (simulated outage)' : 'service unavailable (simulated)';
      return sendJson(res, 503, { error: { code: 'unavailable', message } }, { 'retry-after': '1' });
    }

    // From here to the answer nothing awaits, so two calls with one key cannot both create.
    let answer: Answer;
    let replayed = false;
    try {
      if (route.creates && (key === null || !IDEMPOTENCY_KEY.test(key))) {
        throw new SimError(
          400,
          'idempotency_key_required',
          'Idempotency-Key header: required, 1-255 visible ASCII',
        );
      }
      const cacheKey = `${route.operation}\u0000${key}`;
      const earlier = route.creates ? answers.get(cacheKey) : undefined;
      if (earlier) {
        answer = earlier;
        replayed = true;
      } else {
        answer = route.handle({ state, params, body, idempotencyKey: key ?? '' });
        // Only successes are kept: a refusal created nothing, so a retry may be judged afresh.
        if (route.creates && answer.status < 300) {
          answers.set(cacheKey, structuredClone(answer));
          journal?.append({ operation: route.operation, params, body, idempotencyKey: key!, at: now() });
        }
      }
    } catch (error) {
      record(error instanceof SimError ? error.status : 500, false, fault === 'timeout' ? fault : undefined);
      return fault === 'timeout' ? hang(res) : sendError(res, error);
    }
    record(answer.status, replayed, fault === 'timeout' ? fault : undefined);
    // A timeout fault still takes effect: the answer is lost, which is what idempotency keys are for.
    if (fault === 'timeout') return hang(res);
    sendJson(res, answer.status, answer.body, replayed ? { 'idempotent-replayed': 'true' } : {});
  }

  function hang(res: ServerResponse): void {
    const timer = timers.after(faults.current.hangMs, () => res.destroy());
    res.on('close', () => timers.cancel(timer));
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Parsing happens here, inside the error handling: a malformed target is a 400, not a crash.
    if (missingHost(req)) throw new SimError(400, 'invalid_request', MISSING_HOST);
    const path = requestPath(req);
    if (!authorized(req)) {
      return sendJson(
        res,
        401,
        { error: { code: 'unauthorized', message: 'missing or wrong bearer token' } },
        { 'www-authenticate': 'Bearer' },
      );
    }
    return path.startsWith('/__simulator/')
      ? handleControl(req, res, path, {
          state,
          ledger,
          faults,
          reset,
          now,
          remember: (operation, params, body) =>
            journal?.append({ operation, params, body, idempotencyKey: '', at: now() }),
        })
      : handleService(req, res, path);
  }

  const server = createServer(SERVER_OPTIONS, (req, res) => {
    serve(req, res).catch((error: unknown) => sendError(res, error));
  });
  server.on('clientError', answerClientError);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    ledger,
    faults,
    verificationCode: (id) => state.verification(id).code,
    sentCodes: (phone) =>
      state.sentCodes(phone).map(({ verificationId, phone: to, channel, code, sentAt }) => ({
        verificationId,
        phone: to,
        channel,
        code,
        sentAt,
      })),
    completeTask: (partnerAccountId, task) => {
      const params = [partnerAccountId];
      REPLAYABLE_CONTROL.setAccountSettingsTask(state, params, { task });
      journal?.append({
        operation: 'setAccountSettingsTask',
        params,
        body: { task },
        idempotencyKey: '',
        at: now(),
      });
    },
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        timers.cancelAll();
        server.close((error) => (error ? reject(error) : resolve()));
        // Held (timeout-fault) and keep-alive connections would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

/** The API key check: the service's bearer parsing and constant-time comparison (src/auth/bearer.ts). */
function apiKeyCheck(apiKey: string | undefined): (req: IncomingMessage) => boolean {
  if (!apiKey) return () => true;
  const expected = secretDigest(apiKey);
  return (req) => sameSecret(bearerToken(req.headers.authorization) ?? '', expected);
}
