/**
 * Keeps the SDK's worker chatter out of test output (fault suites make activities fail on purpose):
 * errors only — unless a suite reads the worker's lines itself (`runtimeLogsTo`).
 */
import { DefaultLogger, Runtime, type Logger } from '@temporalio/worker';

let target: Logger = new DefaultLogger('ERROR');

/** From now on the SDK's lines (the workflows' and activities' among them) go to `logger`. */
export function runtimeLogsTo(logger: Logger): void {
  target = logger;
}

Runtime.install({
  logger: {
    log: (level, message, meta) => target.log(level, message, meta),
    trace: (message, meta) => target.trace(message, meta),
    debug: (message, meta) => target.debug(message, meta),
    info: (message, meta) => target.info(message, meta),
    warn: (message, meta) => target.warn(message, meta),
    error: (message, meta) => target.error(message, meta),
  },
});
