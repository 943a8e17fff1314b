/** The simulator process's settings, from the environment (see docs/simulator.md). */
import { z } from 'zod';
import { portSetting } from '../../config/values';

const optionalNumber = z.coerce.number().finite().optional();

export const SimulatorEnv = z.object({
  SIMULATOR_PORT: portSetting.default(7380),
  SIMULATOR_HOST: z.string().default('127.0.0.1'),
  SIMULATOR_API_KEY: z.string().min(1).optional(),
  SIMULATOR_PROVISIONING_MS: optionalNumber,
  SIMULATOR_LATENCY_MS: optionalNumber,
  SIMULATOR_ERROR_RATE: z.coerce.number().min(0).max(1).optional(),
  SIMULATOR_TIMEOUT_RATE: z.coerce.number().min(0).max(1).optional(),
  SIMULATOR_SEED: optionalNumber,
  /** "true": getting-started tasks count as done once an account is ready (load runs, demos). */
  SIMULATOR_TASKS_DONE_WHEN_READY: z.stringbool().optional(),
});
