/**
 * How every long-running process of the service stops (npm start, the API, the codec server, the
 * stand-ins): on SIGINT or SIGTERM, or when told to because a part died, it runs its `close` once
 * and exits. A second signal while stopping exits at once (npm start's Temporal server still goes:
 * its watchdog sees the pipe close) — but not one that arrives right after the first: under
 * `npm start` one Ctrl-C reaches node twice (from the terminal, and forwarded by npm), and that
 * echo must not cut the ordered stop short. What it says goes to the process's JSON logger.
 */
import { createLogger, type Logger } from './logger';

export type Stop = (exitCode: number, reason: string) => Promise<void>;

/** Signals this soon after the first are the same keypress delivered twice. */
export const REPEATED_SIGNAL_WINDOW_MS = 1_000;

export function stopOnSignal(
  name: string,
  close: () => Promise<void>,
  log: Logger = createLogger().child({ component: name }),
): Stop {
  let stopping: Promise<void> | undefined;
  let firstSignalAt: number | undefined;
  const stop: Stop = (exitCode, reason) =>
    (stopping ??= (async () => {
      // A part that died, a failed start-up: an error, not a Ctrl-C.
      (exitCode ? log.error.bind(log) : log.info.bind(log))(`${reason}: stopping ${name}`);
      let code = exitCode;
      try {
        await close();
      } catch (error) {
        log.error({ error }, `${name} did not stop cleanly`);
        code ||= 1;
      }
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      const now = Date.now();
      if (firstSignalAt !== undefined && now - firstSignalAt < REPEATED_SIGNAL_WINDOW_MS) return;
      if (stopping) {
        log.warn(`${signal} again: exiting now`);
        process.exit(130);
      }
      firstSignalAt = now;
      // A signal handler cannot wait; stop() reports its own errors and ends the process.
      void stop(0, signal);
    });
  return stop;
}
