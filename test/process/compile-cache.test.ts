/**
 * The module compile cache (src/process/compile-cache.ts): imported before anything else by each
 * entry point, kept in the user's own cache folder, and harmless where Node has none (Node 20).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const hasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

const ENTRY_POINTS = [
  'src/start.ts',
  'src/worker/main.ts',
  'src/api/main.ts',
  'src/codec/main.ts',
  'src/cli/main.ts',
  'scripts/bench/baseline-worker.ts',
];

test.each(ENTRY_POINTS)('%s imports the compile cache before any other module', (file) => {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const imports = [...source.matchAll(/^import [^;]*?from '([^']+)';|^import '([^']+)';/gm)].map(
    (match) => match[1] ?? match[2],
  );
  expect(imports[0]).toMatch(/\/process\/compile-cache$/);
});

test(`a process keeps its compiled modules in the user's cache folder${hasCompileCache ? '' : ' (Node 20: none kept, nothing fails)'}`, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-compile-cache-'));
  try {
    const script = [
      `require(${JSON.stringify(path.join(ROOT, 'dist/src/process/compile-cache.js'))})`,
      `require(${JSON.stringify(path.join(ROOT, 'dist/src/domain/status.js'))})`,
    ].join(';');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: home };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    delete env.CSP_TOOLS_CACHE;
    await run(process.execPath, ['-e', script], { env });
    const folder = path.join(home, 'csp-enrollment', 'node-compile-cache');
    if (hasCompileCache) {
      expect(fs.statSync(folder).mode & 0o077).toBe(0);
      expect(fs.readdirSync(folder, { recursive: true }).length).toBeGreaterThan(0);
    } else {
      expect(fs.existsSync(folder)).toBe(false);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
