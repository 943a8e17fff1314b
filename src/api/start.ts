/** Builds and starts the API from its configuration; shared by `npm run api` and `npm start`. */
import type { Client } from '@temporalio/client';
import type { ApiConfig } from './config';
import { buildApiServer } from './server';
import { developmentTokens, parseTokens } from './tokens';

export interface RunningApi {
  url: string;
  /** Lines for a start-up banner: the development tokens when they were generated. */
  banner: string[];
  close(): Promise<void>;
}

export async function startApi(options: {
  client: Client;
  taskQueue: string;
  config: ApiConfig;
}): Promise<RunningApi> {
  const { config } = options;
  const generated = !config.CSP_API_TOKENS;
  const tokens = config.CSP_API_TOKENS ? parseTokens(config.CSP_API_TOKENS) : developmentTokens();
  const app = buildApiServer({
    client: options.client,
    taskQueue: options.taskQueue,
    tokens,
    corsOrigins: config.CSP_API_CORS_ORIGINS,
  });
  await app.listen({ host: config.CSP_API_HOST, port: config.CSP_API_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.CSP_API_PORT;
  const host = config.CSP_API_HOST.includes(':') ? `[${config.CSP_API_HOST}]` : config.CSP_API_HOST;
  const banner = generated
    ? [
        'Development tokens (new at each start; set CSP_API_TOKENS to fix them):',
        ...tokens
          .entries()
          .map(({ token, caller }) => `  ${caller.role.padEnd(12)} ${caller.id.padEnd(12)} ${token}`),
      ]
    : ['Tokens from CSP_API_TOKENS'];
  return { url: `http://${host}:${port}`, banner, close: () => app.close() };
}
