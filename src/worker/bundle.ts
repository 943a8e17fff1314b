/** Bundles the workflow code with the SDK's webpack, once, for the worker and the tests. */
import { bundleWorkflowCode } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';

/**
 * zod's ES module build, so webpack can leave out what the workflows never use (its 50 locales,
 * JSON Schema output): every cached workflow evaluates its own copy of the bundle's modules.
 */
const ZOD_ESM = path.join(path.dirname(require.resolve('zod/package.json')), 'index.js');

/** The bundle's code for the workflows exported by `workflowsPath`, with the service's converters. */
export async function bundleWorkflows(workflowsPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...config.resolve?.alias, zod$: ZOD_ESM } },
      optimization: { ...config.optimization, usedExports: true, sideEffects: true },
    }),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
  });
  return code;
}

export async function writeWorkflowBundle(outFile: string): Promise<string> {
  const code = await bundleWorkflows(require.resolve('../workflows'));
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}
