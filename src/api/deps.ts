import type { Client } from '@temporalio/client';
import type { IdempotencyCache } from './idempotency';
import type { TokenTable } from './tokens';

/** What the API needs from the outside world. */
export interface ApiDeps {
  client: Client;
  /** The worker's task queue: new enrollments start there and lists are limited to it. */
  taskQueue: string;
  tokens: TokenTable;
  idempotency?: IdempotencyCache;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: string[];
  /** Where server errors are reported (never with tokens or bodies); stderr by default. */
  log?: (message: string) => void;
}
