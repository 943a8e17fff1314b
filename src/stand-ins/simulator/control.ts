/**
 * /__simulator/*: the test and demo control plane. Never subject to faults or latency, so a test
 * can always read the ledger or end an outage it started.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './faults';
import { queryParam, readJson, sendError, sendJson } from './http-util';
import type { Ledger } from './ledger';
import { parse } from './routes';
import { AccountSettingsTaskBody, FaultsBody } from './schemas';
import { SimError, type SimulatorState } from './state';

export interface ControlDeps {
  state: SimulatorState;
  ledger: Ledger;
  faults: FaultInjector;
  reset(): void;
  now(): number;
  /** Keeps a state change across restarts (see journal.ts). */
  remember(operation: string, params: string[], body: unknown): void;
}

/** Control operations that change the simulated world, replayed from the journal at start. */
export const REPLAYABLE_CONTROL: Record<
  string,
  (state: SimulatorState, params: string[], body: unknown) => void
> = {
  setAccountSettingsTask: (state, [partnerAccountId], body) =>
    state.setAccountSettingsTask(partnerAccountId, parse(AccountSettingsTaskBody, body)),
};

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
      const phone = queryParam(req, 'phone');
      const messages = deps.state
        .sentCodes(phone)
        .map(({ verificationId, phone: to, channel, code, sentAt }) => ({
          verificationId,
          phone: to,
          channel,
          code,
          sentAt,
        }));
      return sendJson(res, 200, { messages });
    }
    const verification = /^\/__simulator\/verifications\/([^/]+)$/.exec(path);
    if (verification && req.method === 'GET') {
      const { verificationId, code, phone, channel, locale, checks, verified } = deps.state.verification(
        decodeURIComponent(verification[1]),
      );
      return sendJson(res, 200, { verificationId, code, phone, channel, locale, checks, verified });
    }
    const settings = /^\/__simulator\/partner-accounts\/([^/]+)\/account-settings$/.exec(path);
    if (settings && req.method === 'POST') {
      const params = [decodeURIComponent(settings[1])];
      const body = (await readJson(req)) ?? {};
      REPLAYABLE_CONTROL.setAccountSettingsTask(deps.state, params, body);
      deps.remember('setAccountSettingsTask', params, body);
      return sendJson(res, 200, deps.state.getAccountSettings(params[0]).body);
    }
    throw new SimError(404, 'not_found', `no control route ${route}`);
  } catch (error) {
    sendError(
      res,
      error instanceof URIError ? new SimError(400, 'invalid_request', 'malformed path') : error,
    );
  }
}
