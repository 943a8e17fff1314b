/**
 * Once per `npm test`: makes sure both Temporal servers are installed, bundles the workflow code,
 * and starts the one dev server the integration suites share (SQLite in a temp dir, the
 * project's search attributes registered). Tests find them through environment variables.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installTools } from '../../src/tooling/temporal-tools';
import { sqlitePragmaArgs } from '../../src/tooling/dev-server';
import { writeWorkflowBundle } from '../../src/worker/bundle';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/workflows/definitions';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-enrollment-test-'));
  const { cli, testServer } = await installTools();
  const bundle = await writeWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  // Suites that run the service's own processes (worker, CLI) run the compiled code in dist/.
  process.stderr.write('[tests] compiling dist/ for process-level suites\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  const devServer = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      dbFilename: path.join(dir, 'temporal.sqlite'),
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      extraArgs: sqlitePragmaArgs(),
    },
  });
  Object.assign(globalThis, { __cspTest: { devServer, dir } });
  process.env.CSP_TEST_DIR = dir;
  process.env.CSP_TEST_WORKFLOW_BUNDLE = bundle;
  process.env.CSP_TEST_TEMPORAL_ADDRESS = devServer.address;
  process.env.CSP_TEST_TEMPORAL_CLI = cli;
  process.env.CSP_TEST_SERVER_EXECUTABLE = JSON.stringify(testServer);
}
