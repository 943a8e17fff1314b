/** Builds and starts the API from its configuration; shared by `npm run api` and `npm start`. */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { oidcVerifier } from '../auth/oidc';
import type { KeyRing } from '../codec/key-ring';
import { workerKeyGuard } from '../codec/worker-keys';
import { ownerIds } from '../client/owner-ids';
import type { AuditLog } from '../integrations/audit/audit-log';
import type { OidcCallers } from './authenticate';
import type { ApiConfig } from './config';
import { buildApiServer } from './server';
import { bannerLine, developmentTokens, parseTokens } from './tokens';
import { directory, parseDirectory } from '../auth/directory';
import type { DocumentVault } from '../integrations/documents/vault';
import type { Logger } from '../process/logger';

/** gRPC's status code UNAVAILABLE. */
const GRPC_UNAVAILABLE = 14;

export interface RunningApi {
  url: string;
  /** Lines for a start-up banner: the development tokens when they were generated. */
  banner: string[];
  /** The tokens were generated for this run (no CSP_API_TOKENS): the banner holds secrets. */
  generatedTokens: boolean;
  close(): Promise<void>;
}

export function oidcCallers(config: ApiConfig): OidcCallers | undefined {
  const {
    CSP_API_OIDC_ISSUER: issuer,
    CSP_API_OIDC_JWKS_URL: jwksUrl,
    CSP_API_OIDC_AUDIENCE: audience,
  } = config;
  if (!issuer || !jwksUrl || !audience) return undefined;
  return {
    verify: oidcVerifier({ issuer, jwksUrl, audience }),
    subjectClaim: config.CSP_API_OIDC_SUBJECT_CLAIM,
    roleClaim: config.CSP_API_OIDC_ROLE_CLAIM,
    emailClaim: config.CSP_API_OIDC_EMAIL_CLAIM,
    emailVerifiedClaim: config.CSP_API_OIDC_EMAIL_VERIFIED_CLAIM,
  };
}

export async function startApi(options: {
  client: Client;
  taskQueue: string;
  config: ApiConfig;
  /**
   * The payload keys the client seals with: checked against the workers' before anything is sent,
   * and the key of the owner IDs in search attributes.
   */
  keyRing: KeyRing;
  /** Where the workers write the audit trail (src/integrations/audit/from-config.ts). */
  auditLog: AuditLog;
  /** Where documents are kept; without it document routes answer 503. */
  documents?: DocumentVault;
  /** The process's logger (src/process/logger.ts). */
  log: Logger;
}): Promise<RunningApi> {
  const { config } = options;
  const generated = !config.CSP_API_TOKENS;
  const tokens = config.CSP_API_TOKENS ? parseTokens(config.CSP_API_TOKENS) : developmentTokens();
  const workersReadOurKey = workerKeyGuard(options.client, options.taskQueue, options.keyRing);
  // A key the workers cannot open stops the start-up, with the key to set; no workers yet, or a
  // Temporal server still starting ("not enough hosts" just after a restart): checked later.
  await workersReadOurKey().catch((error: unknown) => {
    if (!(isGrpcServiceError(error) && error.code === GRPC_UNAVAILABLE)) throw error;
  });
  const oidc = oidcCallers(config);
  const app = buildApiServer({
    client: options.client,
    taskQueue: options.taskQueue,
    tokens,
    ownerIds: ownerIds(options.keyRing),
    auditLog: options.auditLog,
    oidc,
    rateLimits: { perMinute: config.CSP_API_RATE_LIMIT, sendsPerHour: config.CSP_API_RATE_LIMIT_SENDS },
    workersReadOurKey,
    corsOrigins: config.CSP_API_CORS_ORIGINS,
    directory: directory([
      ...tokens.entries().map((entry) => entry.caller),
      ...parseDirectory(config.CSP_DIRECTORY),
    ]),
    updateDeadlineMs: config.CSP_API_UPDATE_DEADLINE_MS,
    documents: options.documents,
    readDeadlineMs: config.CSP_API_READ_DEADLINE_MS,
    log: options.log,
  });
  await app.listen({ host: config.CSP_API_HOST, port: config.CSP_API_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.CSP_API_PORT;
  const host = config.CSP_API_HOST.includes(':') ? `[${config.CSP_API_HOST}]` : config.CSP_API_HOST;
  const banner = generated
    ? [
        'Development tokens (new at each start; set CSP_API_TOKENS to fix them):',
        ...tokens.entries().map(bannerLine),
      ]
    : ['Tokens from CSP_API_TOKENS'];
  if (oidc) banner.push(`OIDC access tokens from ${config.CSP_API_OIDC_ISSUER}`);
  return { url: `http://${host}:${port}`, banner, generatedTokens: generated, close: () => app.close() };
}
