/**
 * Runs a command and stops it when the process that started this watchdog goes away, however it
 * goes (SIGKILL included): the parent holds this process's stdin open, and its end means the
 * parent is gone. npm start runs the Temporal dev server through it, in a process group of its
 * own, so the terminal's Ctrl-C reaches npm start alone, which then stops the parts in order.
 *
 *   node watchdog.js <command> [args…]    SIGTERM to the watchdog stops the command too.
 *
 * The command's PID is written to file descriptor 3 when there is one (npm start reads it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const KILL_AFTER_MS = 15_000;
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: watchdog <command> [args…]');
  process.exit(2);
}

// What the command writes (a SQLite file, its WAL) is for this user only.
process.umask(0o077);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
try {
  fs.writeSync(3, `${child.pid}\n`);
  fs.closeSync(3);
} catch {
  // Started without a descriptor 3: nobody asks for the PID.
}

let killTimer: NodeJS.Timeout | undefined;
const stopChild = () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  killTimer ??= setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
};
process.stdin.on('end', stopChild).on('error', stopChild).resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stopChild);

child.on('error', (error) => {
  console.error(`watchdog: cannot run ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (killTimer) clearTimeout(killTimer);
  process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
});
