/**
 * Runs the simulator as a process for local development and demos:
 *   SIMULATOR_PORT (7380), SIMULATOR_HOST (127.0.0.1), SIMULATOR_API_KEY, SIMULATOR_PROVISIONING_MS,
 *   SIMULATOR_LATENCY_MS, SIMULATOR_ERROR_RATE, SIMULATOR_TIMEOUT_RATE, SIMULATOR_SEED; it logs JSON
 *   lines at CSP_LOG_LEVEL.
 */
import { createLogger, logLevelFrom, useLevel } from '../../process/logger';
import { stopOnSignal } from '../../process/stop-on-signal';
import { settingsFrom } from '../../config/values';
import { SimulatorEnv } from './env';
import { startSimulator } from './server';

const log = createLogger().child({ component: 'simulator' });

async function main(): Promise<void> {
  useLevel(log, logLevelFrom());
  const env = settingsFrom(SimulatorEnv, process.env, 'simulator');
  const simulator = await startSimulator({
    port: env.SIMULATOR_PORT,
    host: env.SIMULATOR_HOST,
    apiKey: env.SIMULATOR_API_KEY,
    provisioningMs: env.SIMULATOR_PROVISIONING_MS,
    latencyMs: env.SIMULATOR_LATENCY_MS,
    tasksDoneWhenReady: env.SIMULATOR_TASKS_DONE_WHEN_READY,
    faults: {
      ...(env.SIMULATOR_ERROR_RATE !== undefined ? { errorRate: env.SIMULATOR_ERROR_RATE } : {}),
      ...(env.SIMULATOR_TIMEOUT_RATE !== undefined ? { timeoutRate: env.SIMULATOR_TIMEOUT_RATE } : {}),
      ...(env.SIMULATOR_SEED !== undefined ? { seed: env.SIMULATOR_SEED } : {}),
    },
  });
  log.info(
    { url: simulator.url, ledger: `${simulator.url}/__simulator/ledger` },
    'CSP service simulator listening',
  );

  stopOnSignal('simulator', () => simulator.close(), log);
}

main().catch((error: unknown) => {
  log.fatal({ error }, 'simulator start-up failed');
  process.exit(1);
});
