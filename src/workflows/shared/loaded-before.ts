/**
 * The first module of the worker's preloaded set (./index): notes which of the bundle's modules are
 * loaded before it (the SDK's own), so that those the set loads after it can be told apart.
 */

/** webpack's table of the bundle's modules, by ID (a webpack module variable). */
declare const __webpack_modules__: Record<string, unknown> | undefined;

export interface ModuleRecord {
  exports: unknown;
}

/** The module cache the SDK gives the bundle: shared modules, else the current workflow's. */
const cache = (): Record<string, ModuleRecord | undefined> =>
  (globalThis as unknown as { __webpack_module_cache__?: Record<string, ModuleRecord | undefined> })
    .__webpack_module_cache__ ?? {};

const moduleIds = (): string[] =>
  typeof __webpack_modules__ === 'object' ? Object.keys(__webpack_modules__) : [];

const before = new Set(moduleIds().filter((id) => cache()[id]));

/** The modules loaded since this one was. */
export function modulesLoadedSince(): ModuleRecord[] {
  const records = moduleIds()
    .filter((id) => !before.has(id))
    .map((id) => cache()[id])
    .filter((record): record is ModuleRecord => record !== undefined);
  before.clear();
  return records;
}
