/**
 * The API's own configuration, parsed with zod from its environment variables. Temporal's address,
 * namespace and task queue come from the service configuration (src/config).
 */
import { z } from 'zod';
import { requiredTogether } from '../config';
import { listSetting as list, portSetting } from '../config/values';
import { describeIssues } from '../domain/actions';

export const ApiConfigSchema = z
  .object({
    CSP_API_PORT: portSetting.default(8080),
    CSP_API_HOST: z.string().min(1).default('127.0.0.1'),
    /** `token=role:id,…`; unset = development tokens generated at start (see tokens.ts). */
    CSP_API_TOKENS: z.string().trim().min(1).optional(),
    /** Comma-separated browser origins allowed to call the API (CORS); unset = same origin only. */
    CSP_API_CORS_ORIGINS: list.optional(),
    /** OIDC access tokens, beside the static tokens: the issuer, its key set and this API's audience. */
    CSP_API_OIDC_ISSUER: z.url().optional(),
    CSP_API_OIDC_JWKS_URL: z.url().optional(),
    CSP_API_OIDC_AUDIENCE: z.string().trim().min(1).optional(),
    CSP_API_OIDC_SUBJECT_CLAIM: z.string().trim().min(1).default('sub'),
    CSP_API_OIDC_ROLE_CLAIM: z.string().trim().min(1).default('roles'),
    /** The claim with the person's email, whom they sign the agreement as. */
    CSP_API_OIDC_EMAIL_CLAIM: z.string().trim().min(1).default('email'),
    /** The claim that must be true for that email to count; empty: the email claim is verified as it is. */
    CSP_API_OIDC_EMAIL_VERIFIED_CLAIM: z.string().trim().default('email_verified'),
    /** Requests per minute per subject (per address without a token). */
    CSP_API_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
    /** Requests per hour per subject to routes that send SMS or email (start, new phone code). */
    CSP_API_RATE_LIMIT_SENDS: z.coerce.number().int().min(1).default(20),
    /** People reviews may be given to, beside the token table's: `id:role,…` (for OIDC deployments). */
    CSP_DIRECTORY: z.string().optional(),
    /** How long an action waits for the enrollment's answer before the API answers 202 and the status location. */
    CSP_API_UPDATE_DEADLINE_MS: z.coerce.number().int().min(100).default(10_000),
    /** How long a status read waits for the enrollment before the API answers 503 with Retry-After. */
    CSP_API_READ_DEADLINE_MS: z.coerce.number().int().min(100).default(5_000),
  })
  .superRefine(requiredTogether('CSP_API_OIDC_ISSUER', 'CSP_API_OIDC_JWKS_URL', 'CSP_API_OIDC_AUDIENCE'));
export type ApiConfig = z.infer<typeof ApiConfigSchema>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = ApiConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid API configuration: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
