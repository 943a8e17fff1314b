/** Installs the Temporal CLI, the time-skipping test server and the production server into the tools cache (see src/tooling). */
import { installTools } from '../src/tooling/temporal-tools';

installTools()
  .then(({ production }) => {
    // CI runs the production suite: a server it cannot have fails the run here, not later.
    if ('error' in production) throw new Error(production.error);
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
