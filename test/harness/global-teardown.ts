/** Stops the shared dev server and removes the run's temp dir, so jest exits with no open handle. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __cspTest?: { devServer: TestWorkflowEnvironment; dir: string } }).__cspTest;
  if (!state) return;
  await state.devServer.teardown();
  fs.rmSync(state.dir, { recursive: true, force: true });
}
