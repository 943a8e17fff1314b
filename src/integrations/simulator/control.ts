/**
 * /__simulator/*: the test and demo control plane. Never subject to faults or latency, so a test
 * can always read the ledger or end an outage it started.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './faults';
import { readJson, sendError, sendJson } from './http-util';
import type { Ledger } from './ledger';
import { parse } from './routes';
import { FaultsBody } from './schemas';
import { SimError, type SimulatorState } from './state';

export interface ControlDeps {
  state: SimulatorState;
  ledger: Ledger;
  faults: FaultInjector;
  reset(): void;
  now(): number;
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ControlDeps,
) {
  try {
    const route = `${req.method} ${path}`;
    if (route === 'GET /__simulator/health') return sendJson(res, 200, { ok: true });
    if (route === 'GET /__simulator/ledger') {
      return sendJson(res, 200, { entries: deps.ledger.entries(), creations: deps.ledger.creationCounts() });
    }
    if (route === 'POST /__simulator/reset') {
      deps.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'GET /__simulator/faults') return sendJson(res, 200, deps.faults.current);
    if (route === 'POST /__simulator/faults') {
      const change = parse(FaultsBody, (await readJson(req)) ?? {});
      return sendJson(res, 200, deps.faults.update(change, deps.now()));
    }
    if (route === 'GET /__simulator/sms') {
      const phone = new URL(req.url ?? '/', 'http://simulator').searchParams.get('phone') ?? undefined;
      const messages = deps.state.sentCodes(phone).map(({ verificationId, phone: to, code, sentAt }) => ({
        verificationId,
        phone: to,
        code,
        sentAt,
      }));
      return sendJson(res, 200, { messages });
    }
    const verification = /^\/__simulator\/verifications\/([^/]+)$/.exec(path);
    if (verification && req.method === 'GET') {
      const { verificationId, code, phone, locale, checks, verified } = deps.state.verification(
        decodeURIComponent(verification[1]),
      );
      return sendJson(res, 200, { verificationId, code, phone, locale, checks, verified });
    }
    throw new SimError(404, 'not_found', `no control route ${route}`);
  } catch (error) {
    sendError(
      res,
      error instanceof URIError ? new SimError(400, 'invalid_request', 'malformed path') : error,
    );
  }
}
