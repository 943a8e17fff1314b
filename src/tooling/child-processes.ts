/**
 * The stack's children run in process groups of their own, so a terminal's Ctrl-C reaches only
 * the parent, which stops them in order (API, workers, Temporal, PostgreSQL). The price: they no
 * longer die with the parent's group. So every child is registered here, and whatever is still
 * running when the parent exits (an exception, process.exit) is killed on the way out — also on
 * a signal, unless the program handles that signal itself (then it stops them in its own order).
 */
import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    killAll();
    process.exit(128 + number);
  });
}

/** Registers a child spawned with `detached: true`; it is forgotten when it exits. */
export function ownChild(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
