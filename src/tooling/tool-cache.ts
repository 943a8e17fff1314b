/**
 * What every tool resolution shares: the cache outside the checkout, finding executables on PATH,
 * and running a long build with progress lines.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Log = (line: string) => void;
export const defaultLog: Log = (line) => process.stderr.write(`[tools] ${line}\n`);

export function toolsCacheDir(): string {
  const base =
    process.env.CSP_TOOLS_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'csp-enrollment');
  return path.resolve(base);
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Runs a command, passing its output through, and prints a heartbeat so long builds show progress. */
export async function runWithProgress(
  label: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string },
  log: Log,
): Promise<void> {
  const started = Date.now();
  log(`${label}: ${command} ${args.join(' ')}`);
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
  const ticker = setInterval(
    () => log(`${label}: still running (${Math.round((Date.now() - started) / 1000)} s)`),
    15_000,
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${label} failed: ${command} exited with ${code}`);
    log(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(ticker);
  }
}
