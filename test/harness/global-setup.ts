/**
 * Once per `npm test`: makes sure the Temporal servers are installed (the production server too,
 * for test/production), bundles the workflow code, and starts the one dev server the integration
 * suites share (SQLite in a temp dir, the project's search attributes registered). Tests find
 * them through environment variables.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installTools } from '../../src/tooling/temporal-tools';
import { startDevServerIn } from '../../src/tooling/dev-server';
import { freePort } from '../../src/tooling/free-port';
import { writeWorkflowBundle } from '../../src/worker/bundle';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-enrollment-test-'));
  const { cli, testServer, production } = await installTools();
  const bundle = await writeWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  // Suites that run the service's own processes (worker, CLI) run the compiled code in dist/.
  process.stderr.write('[tests] compiling dist/ for process-level suites\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  // The server's own Prometheus metrics: suites count the requests it served (workflow queries).
  const metricsPort = await freePort();
  // The dev server as npm start runs it (src/tooling/dev-server.ts); it needs dist/ (its watchdog).
  const devServer = await startDevServerIn(dir, { cli, extraArgs: ['--metrics-port', String(metricsPort)] });
  Object.assign(globalThis, { __cspTest: { devServer, dir } });
  process.env.CSP_TEST_DIR = dir;
  process.env.CSP_TEST_WORKFLOW_BUNDLE = bundle;
  process.env.CSP_TEST_TEMPORAL_ADDRESS = devServer.address;
  process.env.CSP_TEST_TEMPORAL_METRICS = `http://127.0.0.1:${metricsPort}/metrics`;
  process.env.CSP_TEST_TEMPORAL_CLI = cli;
  process.env.CSP_TEST_SERVER_EXECUTABLE = JSON.stringify(testServer);
  // test/production fails with this reason rather than trying the build again.
  if ('error' in production) process.env.CSP_TEST_PRODUCTION_UNAVAILABLE = production.error;
}
