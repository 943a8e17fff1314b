/**
 * `npm run stack:production`: the service on the production engine, on this machine without
 * Docker — PostgreSQL, the Temporal server on it (SQL advanced visibility, mutual TLS to every
 * client), two worker processes, the API and the codec server, the simulator and the mailbox
 * (src/tooling/production-stack.ts). Data stays in <CSP_DATA_DIR>/production, so a restart
 * resumes the open enrollments. Ctrl-C stops everything; if any part dies, everything stops.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { bannerLine, developmentTokens, parseTokens } from '../src/api/tokens';
import { keyRingFrom } from '../src/codec/from-config';
import { dataPath, loadConfig } from '../src/config';
import { stopOnSignal } from '../src/process/stop-on-signal';
import { clientTlsEnv } from '../src/tooling/certificates';
import { startProductionStack, type ProductionStack } from '../src/tooling/production-stack';
import { TEMPORAL_SERVER_VERSION } from '../src/tooling/temporal-server-tools';

function banner(stack: ProductionStack, dir: string, tokens: string[], operatorToken: string): string {
  const { engine } = stack;
  const cli = Object.entries({ TEMPORAL_ADDRESS: engine.address, ...clientTlsEnv(engine.tlsDir, 'cli') })
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return [
    '',
    'CSP Enrollment Orchestrator is running on the production engine',
    `  PostgreSQL 15      127.0.0.1:${engine.postgres.port} (data: ${path.join(engine.dir, 'postgresql')})`,
    `  Temporal server    ${engine.address} (${TEMPORAL_SERVER_VERSION}, mutual TLS, PostgreSQL visibility; deploy/temporal)`,
    `  Workers            ${stack.workers.length} processes (PIDs ${stack.workers.map((w) => w.pid).join(', ')})`,
    `  API                ${stack.api.url} (OpenAPI: ${stack.api.url}/openapi.json)`,
    `  Reviewer console   ${stack.api.url}/console`,
    `  Codec server       ${stack.codec.url} (Authorization: Bearer <operator token>)`,
    `  Simulator          ${stack.simulator.url}`,
    `  Mailbox            ${stack.mailbox.httpUrl} (SMTP on 127.0.0.1:${stack.mailbox.smtpPort})`,
    `  Operator token     ${operatorToken}`,
    `  Temporal CLI       ${cli} temporal workflow list`,
    `  Logs               ${dir}/*.log`,
    ...tokens.map((line) => `  ${line}`),
    '',
    'Ctrl-C stops everything.',
  ].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dir = dataPath(config, 'production');
  const generated = !process.env.CSP_API_TOKENS;
  const tokens = process.env.CSP_API_TOKENS ? parseTokens(process.env.CSP_API_TOKENS) : developmentTokens();
  const operatorToken = config.CSP_OPERATOR_TOKEN ?? randomBytes(18).toString('base64url');

  console.log('starting the production engine…');
  const starting = startProductionStack({
    dir,
    taskQueue: config.CSP_TASK_QUEUE,
    // Like npm start, the stack makes the development key when none is configured.
    keyRing: keyRingFrom(config, { createDevelopmentKey: true }),
    apiTokens: tokens,
    operatorToken,
    simulator: { provisioningMs: 5_000 },
    log: (line) => console.log(`  ${line}`),
    onUnexpectedExit: (name, code, signal) => {
      console.error(`${name} exited on its own (${signal ?? `code ${code}`}); stopping everything`);
      // A callback cannot wait; stop ends the process.
      void stop(1, `${name} exited`);
    },
  });
  const stop = stopOnSignal('the production stack', async () => {
    // A Ctrl-C during start-up waits for the start to finish (or fail), then stops what it started.
    const started = await starting.catch(() => undefined);
    await started?.stop();
    console.log('stopped');
  });
  const stack = await starting;
  const tokenLines = generated
    ? [
        'Development tokens (new at each start; set CSP_API_TOKENS to fix them):',
        ...tokens.entries().map(bannerLine),
      ]
    : ['Tokens from CSP_API_TOKENS'];
  console.log(banner(stack, dir, tokenLines, operatorToken));
}

main().catch((error: unknown) => {
  console.error(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
