/**
 * Modules every workflow of a worker shares instead of evaluating its own copy: zod and the
 * domain's schemas (about 1 MB of heap per cached workflow otherwise). The bundle preloads this
 * module once per V8 context (`preloadModules`, src/worker/bundle.ts); workflows then find these
 * modules in the SDK's shared module cache. Only modules without per-workflow state belong here:
 * schemas (pure; zod's lazily computed members are the same for every workflow), constants and
 * functions.
 *
 * The SDK deep-freezes shared modules so that no workflow can change what another sees. zod 4
 * cannot run frozen: it defines members on first use and resets `lastIndex` on its regular
 * expressions. So these modules' records are frozen here, shallowly — the SDK's deep freeze passes
 * over what is frozen already — and their plain data (arrays, plain objects) deeply, which keeps
 * the guarantee for everything but zod's own caches.
 */
import { modulesLoadedSince } from './loaded-before';
import * as unsealed from '../../codec/unsealed';
import * as actions from '../../domain/actions';
import * as agreement from '../../domain/agreement';
import * as applicantView from '../../domain/applicant-view';
import * as documents from '../../domain/documents';
import * as enrollment from '../../domain/enrollment';
import * as failureCauses from '../../domain/failure-causes';
import * as gettingStarted from '../../domain/getting-started';
import * as notifications from '../../domain/notifications';
import * as phone from '../../domain/phone';
import * as reviewFlags from '../../domain/review-flags';
import * as status from '../../domain/status';
import * as legacyRequest from '../legacy/request-v1';

/** Arrays and plain objects, deeply; not schemas, regular expressions or other class instances. */
function freezeData(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) freezeData((value as Record<PropertyKey, unknown>)[key]);
}

const ours = [
  unsealed,
  actions,
  agreement,
  applicantView,
  documents,
  enrollment,
  failureCauses,
  gettingStarted,
  notifications,
  phone,
  reviewFlags,
  status,
  legacyRequest,
];
for (const moduleExports of ours) freezeData(moduleExports);
// zod's modules (the domain's imports) included: each record frozen shallowly, so the SDK's deep
// freeze skips it.
for (const record of modulesLoadedSince()) Object.freeze(record);
