/**
 * Stops the shared dev server and removes the run's temp dir, so jest exits with no open handle;
 * then kills (and names) any process a suite left running.
 */
import type { RunningDevServer } from '../../src/tooling/dev-server';
import fs from 'node:fs';
import { stopLeftoverProcesses } from './leftover-processes';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __cspTest?: { devServer: RunningDevServer; dir: string } }).__cspTest;
  if (state) {
    await state.devServer.stop();
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
  stopLeftoverProcesses();
}
