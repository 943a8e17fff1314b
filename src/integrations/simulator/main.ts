/**
 * Runs the simulator as a process for local development and demos:
 *   SIMULATOR_PORT (7380), SIMULATOR_HOST (127.0.0.1), SIMULATOR_API_KEY, SIMULATOR_PROVISIONING_MS,
 *   SIMULATOR_LATENCY_MS, SIMULATOR_ERROR_RATE, SIMULATOR_TIMEOUT_RATE, SIMULATOR_SEED.
 */
import { startSimulator } from './server';

function numberFromEnv(name: string, fallback?: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const errorRate = numberFromEnv('SIMULATOR_ERROR_RATE');
  const timeoutRate = numberFromEnv('SIMULATOR_TIMEOUT_RATE');
  const seed = numberFromEnv('SIMULATOR_SEED');
  const simulator = await startSimulator({
    port: numberFromEnv('SIMULATOR_PORT', 7380),
    host: process.env.SIMULATOR_HOST || '127.0.0.1',
    apiKey: process.env.SIMULATOR_API_KEY || undefined,
    provisioningMs: numberFromEnv('SIMULATOR_PROVISIONING_MS'),
    latencyMs: numberFromEnv('SIMULATOR_LATENCY_MS'),
    faults: {
      ...(errorRate !== undefined ? { errorRate } : {}),
      ...(timeoutRate !== undefined ? { timeoutRate } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  });
  console.log(
    `CSP service simulator listening on ${simulator.url} (ledger: ${simulator.url}/__simulator/ledger)`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping simulator`);
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
