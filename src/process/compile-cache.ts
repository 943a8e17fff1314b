/**
 * V8's compiled code for the modules a process loads, kept on disk between starts (Node 22.1 and
 * later; the images run the current LTS). Most of a worker's start-up is compiling the SDK's
 * modules, twice (the main thread, then the workflow thread): with the cache a worker's start on
 * Node 24 measured ~0.69 s against ~0.87 s (BENCHMARKS.md). On Node 20 this does nothing.
 *
 * Imported first by each entry point, so every module after it is cached. Under the user's own
 * cache folder (private, as the Temporal CLI's), not the shared temp folder: what is in it runs.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE names another folder.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { toolsCacheDir } from '../tooling/tool-cache';

interface CompileCacheApi {
  enableCompileCache?: (directory?: string) => { status: number; directory?: string };
  flushCompileCache?: () => void;
}

const api = Module as unknown as CompileCacheApi;

function enable(): void {
  if (!api.enableCompileCache || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const directory = process.env.NODE_COMPILE_CACHE ?? path.join(toolsCacheDir(), 'node-compile-cache');
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    api.enableCompileCache(directory);
  } catch {
    // A cache that cannot be written costs start-up time, nothing else.
  }
}

enable();

/**
 * Writes what has been compiled so far (Node writes it at exit otherwise): called once a process
 * is up, so a process that is killed rather than stopped still leaves its cache for the next start.
 */
export function flushCompileCache(): void {
  try {
    api.flushCompileCache?.();
  } catch {
    // as above
  }
}
