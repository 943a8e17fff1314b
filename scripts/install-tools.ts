/** Installs the Temporal CLI and the time-skipping test server into the tools cache (see src/tooling). */
import { installTools } from '../src/tooling/temporal-tools';

installTools().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
