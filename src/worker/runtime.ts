/**
 * The SDK runtime of a worker process: every log line — the SDK's, the workflows' and activities'
 * (`log`), and Temporal Core's, forwarded from Rust — goes to the process's JSON logger at
 * `CSP_LOG_LEVEL`; Prometheus metrics, the SDK's and the service's own (src/workflows/metrics.ts),
 * on /metrics. Log entries carry IDs, types and error messages, never payloads: personal data
 * stays out.
 */
import {
  LogTimestamp,
  makeTelemetryFilterString,
  Runtime,
  type Logger as SdkLogger,
  type LogLevel,
  type LogMetadata,
} from '@temporalio/worker';
import { describeError, loggedAt, type Logger } from '../process/logger';

export interface RuntimeSettings {
  log: Logger;
  logLevel: LogLevel;
  /** host:port for the Prometheus endpoint; undefined: no metrics endpoint. */
  metricsAddress?: string;
  /**
   * Signals on which the SDK stops every worker by itself (its default: SIGINT, SIGTERM, …).
   * npm start passes none: it stops the worker itself, after the API and before Temporal.
   */
  shutdownSignals?: NodeJS.Signals[];
}

const METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The SDK's logger interface over the process's logger. */
export function sdkLogger(log: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const { [LogTimestamp]: nanos, ...rest } = (meta ?? {}) as LogMetadata & { [LogTimestamp]?: bigint };
    const fields: Record<string, unknown> = {};
    // The SDK puts errors under any name (`error`, `failure`): each is described, not dumped.
    for (const [key, value] of Object.entries(rest))
      fields[key] = value instanceof Error ? describeError(value) : value;
    const line = () => log[METHOD[level]](fields, message);
    // Core's lines reach us up to 100 ms late (the SDK sorts them): they keep their own time.
    if (typeof nanos === 'bigint') loggedAt(new Date(Number(nanos / 1_000_000n)), line);
    else line();
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

export function installRuntime(settings: RuntimeSettings): void {
  Runtime.install({
    logger: sdkLogger(settings.log),
    ...(settings.shutdownSignals ? { shutdownSignals: settings.shutdownSignals } : {}),
    telemetryOptions: {
      // Core's own lines into the same logger, at the same level (its dependencies: errors only).
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: settings.logLevel }) },
      ...(settings.metricsAddress
        ? {
            metrics: {
              prometheus: { bindAddress: settings.metricsAddress, countersTotalSuffix: true },
            },
          }
        : {}),
    },
  });
}
