/**
 * The SDK runtime of a worker process: structured JSON logs (one object per line) and Prometheus
 * metrics, the SDK's and the service's own (src/workflows/metrics.ts), on /metrics.
 * Log entries carry IDs, types and error messages, never payloads: personal data stays out.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export interface RuntimeSettings {
  logLevel: LogLevel;
  format: 'json' | 'pretty';
  /** host:port for the Prometheus endpoint; undefined: no metrics endpoint. */
  metricsAddress?: string;
}

function jsonLine(entry: {
  level: LogLevel;
  message: string;
  timestampNanos: bigint;
  meta?: Record<string, unknown>;
}) {
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    meta[key] = value instanceof Error ? `${value.name}: ${value.message}` : value;
  }
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return JSON.stringify({ time, level: entry.level, message: entry.message, ...meta });
}

export function installRuntime(settings: RuntimeSettings): void {
  Runtime.install({
    logger:
      settings.format === 'json'
        ? new DefaultLogger(settings.logLevel, (entry) => process.stdout.write(`${jsonLine(entry)}\n`))
        : new DefaultLogger(settings.logLevel),
    telemetryOptions: settings.metricsAddress
      ? { metrics: { prometheus: { bindAddress: settings.metricsAddress, countersTotalSuffix: true } } }
      : undefined,
  });
}
