/**
 * The API's own configuration, parsed with zod from its environment variables. Temporal's address,
 * namespace and task queue come from the service configuration (src/config).
 */
import { z } from 'zod';
import { describeIssues } from '../domain/actions';

export const ApiConfigSchema = z.object({
  CSP_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  CSP_API_HOST: z.string().min(1).default('127.0.0.1'),
  /** `token=role:id,…`; unset = development tokens generated at start (see tokens.ts). */
  CSP_API_TOKENS: z.string().trim().min(1).optional(),
  /** Comma-separated browser origins allowed to call the API (CORS); unset = same origin only. */
  CSP_API_CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .optional(),
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = ApiConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid API configuration: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
