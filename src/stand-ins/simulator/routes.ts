/**
 * The simulated services' REST routes: the same paths the HTTP clients call, so a real endpoint
 * can take the simulator's place by configuration alone.
 */
import { z } from 'zod';
import type { ServiceName } from './faults';
import * as schemas from './schemas';
import { type Answer, SimError, type SimulatorState } from './state';

export interface RouteCall {
  state: SimulatorState;
  params: string[];
  body: unknown;
  /** Present for creating routes; the server has already insisted on it. */
  idempotencyKey: string;
}

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  service: ServiceName;
  operation: string;
  /** Creating routes require an Idempotency-Key and replay their first answer for it. */
  creates: boolean;
  handle(call: RouteCall): Answer;
}

/** Validates or answers 400 naming the field. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new SimError(400, 'invalid_request', schemas.describeIssues(result.error));
  return result.data;
}

const ID = '([^/]+)';
const MpnParams = z.object({ mpnId: schemas.MpnId });

export const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/credit-bureau\/v1\/solvency-checks$/,
    service: 'credit-bureau',
    operation: 'checkSolvency',
    creates: true,
    handle: (c) => c.state.checkSolvency(c.idempotencyKey, parse(schemas.CreditCheckBody, c.body)),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/work-accounts$/,
    service: 'partner-center',
    operation: 'createWorkAccount',
    creates: true,
    handle: (c) => c.state.createWorkAccount(c.idempotencyKey, parse(schemas.WorkAccountBody, c.body)),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/work-accounts\/verification$/,
    service: 'partner-center',
    operation: 'verifyWorkAccount',
    creates: false,
    handle: (c) => c.state.verifyWorkAccount(parse(schemas.WorkAccountVerificationBody, c.body)),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/phone-verification-checks$/,
    service: 'partner-center',
    operation: 'phoneVerificationCheck',
    creates: false,
    handle: (c) => c.state.phoneVerificationCheck(parse(schemas.PhoneCheckBody, c.body)),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/partner-accounts$/,
    service: 'partner-center',
    operation: 'createPartnerAccount',
    creates: true,
    handle: (c) => c.state.createPartnerAccount(c.idempotencyKey, parse(schemas.PartnerAccountBody, c.body)),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/partner-center/v1/mpn/${ID}$`),
    service: 'partner-center',
    operation: 'checkMpnMembership',
    creates: false,
    handle: (c) => c.state.checkMpnMembership(parse(MpnParams, { mpnId: c.params[0] }).mpnId),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/csp-applications$/,
    service: 'partner-center',
    operation: 'submitCspApplication',
    creates: true,
    handle: (c) => c.state.submitCspApplication(c.idempotencyKey, parse(schemas.CspApplicationBody, c.body)),
  },
  {
    method: 'GET',
    pattern: /^\/partner-center\/v1\/agreements\/current$/,
    service: 'partner-center',
    operation: 'getAgreementOffer',
    creates: false,
    handle: (c) => c.state.getAgreementOffer(),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/agreement-acceptances$/,
    service: 'partner-center',
    operation: 'recordAgreementAcceptance',
    creates: true,
    handle: (c) =>
      c.state.recordAgreementAcceptance(c.idempotencyKey, parse(schemas.AgreementAcceptanceBody, c.body)),
  },
  {
    method: 'POST',
    pattern: /^\/partner-center\/v1\/provisioning$/,
    service: 'partner-center',
    operation: 'startProvisioning',
    creates: true,
    handle: (c) => c.state.startProvisioning(c.idempotencyKey, parse(schemas.ProvisioningBody, c.body)),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/partner-center/v1/provisioning/${ID}$`),
    service: 'partner-center',
    operation: 'getProvisioningStatus',
    creates: false,
    handle: (c) => c.state.getProvisioningStatus(c.params[0]),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/partner-center/v1/partner-accounts/${ID}/account-settings$`),
    service: 'partner-center',
    operation: 'getAccountSettings',
    creates: false,
    handle: (c) => c.state.getAccountSettings(c.params[0]),
  },
  {
    method: 'POST',
    pattern: /^\/sms\/v1\/verifications$/,
    service: 'sms',
    operation: 'startVerification',
    creates: true,
    handle: (c) => c.state.startVerification(c.idempotencyKey, parse(schemas.VerificationBody, c.body)),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/sms/v1/verifications/${ID}/check$`),
    service: 'sms',
    operation: 'checkVerification',
    creates: false,
    handle: (c) => c.state.checkVerification(c.params[0], parse(schemas.VerificationCheckBody, c.body)),
  },
];

/** The route for a path, or why there is none (404 unknown path, 405 wrong method). */
export function matchRoute(method: string, path: string): { route: Route; params: string[] } | SimError {
  let pathKnown = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    try {
      return { route, params: m.slice(1).map(decodeURIComponent) };
    } catch {
      return new SimError(400, 'invalid_request', `malformed path ${path}`);
    }
  }
  return pathKnown
    ? new SimError(405, 'method_not_allowed', `${method} is not allowed on ${path}`)
    : new SimError(404, 'not_found', `no route ${path}`);
}
