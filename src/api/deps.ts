import type { Client } from '@temporalio/client';
import type { Logger } from '../process/logger';
import type { AuditLog } from '../integrations/audit/audit-log';
import type { OwnerIds } from '../client/owner-ids';
import type { OidcCallers } from './authenticate';
import type { IdempotencyCache } from './idempotency';
import type { RateLimits } from './rate-limits';
import type { TokenTable } from './tokens';
import type { Directory } from '../auth/directory';
import type { DocumentVault } from '../integrations/documents/vault';
import type { WindowEdges } from '../client/window-pager';

/** What the API needs from the outside world. */
export interface ApiDeps {
  client: Client;
  /** The worker's task queue: new enrollments start there and lists are limited to it. */
  taskQueue: string;
  tokens: TokenTable;
  /** The durable audit log the workers write (src/integrations/audit); unset: the status's latest entries only. */
  auditLog?: AuditLog;
  /** Opaque owner IDs for the CspOwner search attribute, from the payload keys (src/client/owner-ids.ts). */
  ownerIds: OwnerIds;
  /** OIDC access tokens beside the static ones; none by default. */
  oidc?: OidcCallers;
  /** Per-subject limits; the configuration's defaults when unset. */
  rateLimits?: RateLimits;
  /** Resolves when the workers open what this API seals (src/codec/worker-keys.ts). */
  workersReadOurKey?: () => Promise<void>;
  idempotency?: IdempotencyCache;
  /** Who reviews may be reassigned to; the token table's people when unset. */
  directory?: Directory;
  /** A status read unanswered after this long is a 503 with Retry-After (default 5 s). */
  readDeadlineMs?: number;
  /** An action still unanswered after this long is answered 202 with the status location (default 10 s). */
  updateDeadlineMs?: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: string[];
  /** Where documents' bytes are kept (encrypted); document routes answer 503 without it. */
  documents?: DocumentVault;
  /** Where the time-ordered lists' recent windows ended (one per process; a new one when unset). */
  windowEdges?: WindowEdges;
  /** The process's logger: requests, and every 5xx with its message and stack (src/http/logging.ts). */
  log: Logger;
}
