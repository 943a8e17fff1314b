/**
 * Runs the simulator as a process for local development and demos:
 *   SIMULATOR_PORT (7380), SIMULATOR_HOST (127.0.0.1), SIMULATOR_API_KEY, SIMULATOR_PROVISIONING_MS,
 *   SIMULATOR_LATENCY_MS, SIMULATOR_ERROR_RATE, SIMULATOR_TIMEOUT_RATE, SIMULATOR_SEED.
 */
import { closeOnSignal } from '../stop-on-signal';
import { describeIssues } from '../../domain/actions';
import { SimulatorEnv } from './env';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const parsed = SimulatorEnv.safeParse(
    Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')),
  );
  if (!parsed.success) throw new Error(`invalid simulator settings: ${describeIssues(parsed.error)}`);
  const env = parsed.data;
  const simulator = await startSimulator({
    port: env.SIMULATOR_PORT,
    host: env.SIMULATOR_HOST,
    apiKey: env.SIMULATOR_API_KEY,
    provisioningMs: env.SIMULATOR_PROVISIONING_MS,
    latencyMs: env.SIMULATOR_LATENCY_MS,
    faults: {
      ...(env.SIMULATOR_ERROR_RATE !== undefined ? { errorRate: env.SIMULATOR_ERROR_RATE } : {}),
      ...(env.SIMULATOR_TIMEOUT_RATE !== undefined ? { timeoutRate: env.SIMULATOR_TIMEOUT_RATE } : {}),
      ...(env.SIMULATOR_SEED !== undefined ? { seed: env.SIMULATOR_SEED } : {}),
    },
  });
  console.log(
    `CSP service simulator listening on ${simulator.url} (ledger: ${simulator.url}/__simulator/ledger)`,
  );

  closeOnSignal('simulator', () => simulator.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
