/** Bundles the workflow code with the SDK's webpack, once, for the worker and the tests. */
import type { Logger } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';

/**
 * zod's ES module build, so webpack can leave out what the workflows never use (its 50 locales,
 * JSON Schema output): every cached workflow evaluates its own copy of the bundle's modules.
 */
const ZOD_ESM = path.join(path.dirname(require.resolve('zod/package.json')), 'index.js');

/**
 * The source map without the sources' text: stack traces still name file, line and column, and
 * the map is 0.45 MB instead of 1.65 MB. The worker decodes it, and each workflow thread keeps it,
 * at every start (2.2 MB of base64 in a 3.4 MB bundle: ~25 ms of the worker's start-up). Only the
 * SDK's enhanced stack trace, which quotes the sources for a debugger, goes without them.
 */
const SOURCE_MAP = 'inline-nosources-source-map';

/** webpack's own progress is noise in every build and test run; its errors are not. */
const WEBPACK_ERRORS_ONLY: Logger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error: (message, meta) => console.error(message, ...(meta ? [meta] : [])),
};

/** Request IDs on the workflows' log lines and activities (src/workflows/interceptors.ts). */
const WORKFLOW_INTERCEPTORS_PATH = require.resolve('../workflows/interceptors');

/** The bundle's code for the workflows exported by `workflowsPath`, with the service's converters. */
export async function bundleWorkflows(workflowsPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // zod and the domain's schemas, evaluated once per worker thread instead of once per workflow.
    preloadModules: [require.resolve('../workflows/shared')],
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...config.resolve?.alias, zod$: ZOD_ESM } },
      optimization: { ...config.optimization, usedExports: true, sideEffects: true },
      devtool: SOURCE_MAP,
    }),
    logger: WEBPACK_ERRORS_ONLY,
  });
  return code;
}

export async function writeWorkflowBundle(outFile: string): Promise<string> {
  const code = await bundleWorkflows(require.resolve('../workflows'));
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}
