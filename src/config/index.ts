/**
 * The service's configuration, parsed once from the environment with zod. Every default runs
 * locally: `npm start` needs no variable at all.
 */
import path from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../domain/actions';
import { Duration } from '../domain/enrollment';
import { GUIDE_DEFAULTS } from '../domain/links';
import { listSetting as list, portSetting as port } from './values';
import { LOG_LEVELS } from '../process/logger';

/** A refinement: the named settings are all set or all unset (OIDC's issuer, key set, audience). */
export function requiredTogether<K extends string>(...names: K[]) {
  return (config: Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => {
    const set = names.filter((name) => config[name] !== undefined);
    if (set.length === 0) return;
    for (const name of names)
      if (config[name] === undefined)
        ctx.addIssue({ code: 'custom', path: [name], message: `required with ${set.join(', ')}` });
  };
}
const url = z.url();

/**
 * Temporal's standard connection settings (read by @temporalio/envconfig, see ./temporal.ts), so a
 * worker reaches a self-hosted cluster or Temporal Cloud (TLS, mTLS or API key) like any Temporal
 * tool. Unset: the local dev server, namespace "default" (or what a TEMPORAL_PROFILE says).
 */
const TemporalSettings = {
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: z.string().optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: z.string().optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: z.string().optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: z.string().optional(),
  TEMPORAL_PROFILE: z.string().optional(),
  TEMPORAL_CONFIG_FILE: z.string().optional(),
};
export const TEMPORAL_SETTING_NAMES = Object.keys(TemporalSettings);

export const ConfigSchema = z
  .object({
    ...TemporalSettings,
    CSP_TASK_QUEUE: z.string().default('csp-enrollment'),
    /** Where `npm start` keeps the dev server's SQLite file and the mailbox. */
    CSP_DATA_DIR: z.string().default('data'),
    /** The durable audit log's files (src/integrations/audit); the worker writes, the API reads: share it. */
    CSP_AUDIT_DIR: z.string().optional(),
    /** The worker's log of emails the SMTP server accepted (src/integrations/mail/sent-once.ts): workers share it. */
    CSP_MAIL_SENT_DIR: z.string().optional(),
    CSP_TEMPORAL_PORT: port.default(7233),
    CSP_TEMPORAL_UI_PORT: port.default(8233),
    /** Prebuilt workflow bundle (npm run build); outside development the worker runs no webpack. */
    CSP_WORKFLOW_BUNDLE: z.string().default('dist/workflow-bundle.js'),
    /** `development` (npm run dev): the worker bundles the workflows from src/ at start instead. */
    NODE_ENV: z.string().optional(),

    CSP_SIMULATOR_PORT: port.default(7380),
    CSP_PARTNER_CENTER_URL: url.optional(),
    CSP_PARTNER_CENTER_API_KEY: z.string().optional(),
    /** The guide's addresses quoted in emails; the guide's own by default (src/domain/links.ts). */
    CSP_LINK_ENROLLMENT: url.default(GUIDE_DEFAULTS.enrollment),
    CSP_LINK_DASHBOARD: url.default(GUIDE_DEFAULTS.dashboard),
    CSP_LINK_MPN_JOIN: url.default(GUIDE_DEFAULTS.mpnJoin),
    CSP_LINK_HOWTO_BASE: url.default(GUIDE_DEFAULTS.howToBase),
    CSP_LINK_DOCS_BASE: url.default(GUIDE_DEFAULTS.docsBase),
    /** The reviewer console's address, for links to a case in reviewers' and operators' emails. */
    CSP_CONSOLE_URL: url.default('http://127.0.0.1:8080/console'),
    CSP_CREDIT_BUREAU_URL: url.optional(),
    CSP_CREDIT_BUREAU_API_KEY: z.string().optional(),
    CSP_SMS_GATEWAY_URL: url.optional(),
    CSP_SMS_GATEWAY_API_KEY: z.string().optional(),
    CSP_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),

    /** SMTP server; when unset, `npm start` runs the development mailbox on these ports. */
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: port.default(1025),
    SMTP_SECURE: z.stringbool().default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    CSP_MAILBOX_HTTP_PORT: port.default(8025),
    CSP_MAIL_FROM: z.string().default('21Vianet CSP Enrollment <no-reply@csp-enrollment.local>'),
    CSP_REVIEWERS: list.default(['csp-reviewers@csp-enrollment.local']),
    CSP_REVIEW_LEADS: list.default(['csp-review-leads@csp-enrollment.local']),
    /** The program's operators: overdue reviews. */
    CSP_OPERATORS: list.default(['csp-operators@csp-enrollment.local']),

    /** Payload encryption keys, `id=base64(32 bytes),…`; unset: a development key in the data folder. */
    CSP_PAYLOAD_KEYS: z.string().optional(),
    /** ID of the key that encrypts new payloads; the others only decrypt (rotation). */
    CSP_PAYLOAD_KEY_ID: z.string().optional(),
    /**
     * Where documents' encrypted bytes are kept: `file` (a folder, default data/documents) or `s3`
     * (a bucket; the AWS SDK's own settings give credentials and region).
     */
    CSP_DOCUMENT_STORE: z.enum(['file', 's3']).default('file'),
    CSP_DOCUMENTS_DIR: z.string().optional(),
    CSP_DOCUMENTS_S3_BUCKET: z.string().trim().min(3).optional(),
    CSP_DOCUMENTS_S3_PREFIX: z.string().default(''),
    /** An S3-compatible store that is not AWS (MinIO, Ceph): its URL. */
    CSP_DOCUMENTS_S3_ENDPOINT: url.optional(),
    CSP_DOCUMENTS_S3_REGION: z.string().default('us-east-1'),
    CSP_DOCUMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** Documents are deleted this long after their enrollment ends (a daily Temporal Schedule). */
    CSP_DOCUMENT_RETENTION: Duration.default('90d'),
    /** Prometheus endpoint of the worker (SDK and service metrics); 0 turns it off. */
    CSP_METRICS_PORT: port.default(9464),
    CSP_METRICS_HOST: z.string().default('127.0.0.1'),
    /**
     * Enrollments kept in the worker's memory between tasks. Each costs about 1.2 MB of heap; an
     * evicted one is replayed from its history on its next task. Bounds memory while thousands wait.
     */
    CSP_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
    /**
     * V8 old-space limit of the worker's workflow thread, in MB; unset: sized for the cache (see
     * src/worker/workflow-heap.ts). Without a limit V8 lets evicted workflows' garbage pile up.
     */
    CSP_WORKER_WORKFLOW_HEAP_MB: z.coerce.number().int().min(64).optional(),
    /** Every process's log level; Temporal Core's logs are forwarded at it too. */
    CSP_LOG_LEVEL: z.enum(LOG_LEVELS).default('INFO'),
    CSP_CODEC_PORT: port.default(8888),
    CSP_CODEC_HOST: z.string().default('127.0.0.1'),
    /** Origins of Temporal UI allowed to call the codec server; unset: the dev server's UI port. */
    CSP_CODEC_CORS_ORIGINS: list.optional(),
    /** Bearer token operators present to the codec server; unset: generated at start (printed). */
    CSP_OPERATOR_TOKEN: z.string().min(16).optional(),
    /** OIDC access tokens at the codec server (Temporal UI's passAccessToken): issuer, key set, audience. */
    CSP_CODEC_OIDC_ISSUER: url.optional(),
    CSP_CODEC_OIDC_JWKS_URL: url.optional(),
    CSP_CODEC_OIDC_AUDIENCE: z.string().trim().min(1).optional(),
  })
  .superRefine(
    requiredTogether('CSP_CODEC_OIDC_ISSUER', 'CSP_CODEC_OIDC_JWKS_URL', 'CSP_CODEC_OIDC_AUDIENCE'),
  )
  .superRefine((config, ctx) => {
    if (config.CSP_DOCUMENT_STORE === 's3' && !config.CSP_DOCUMENTS_S3_BUCKET)
      ctx.addIssue({
        code: 'custom',
        path: ['CSP_DOCUMENTS_S3_BUCKET'],
        message: 'required with CSP_DOCUMENT_STORE=s3',
      });
  });
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function dataPath(config: Config, ...parts: string[]): string {
  return path.resolve(config.CSP_DATA_DIR, ...parts);
}
