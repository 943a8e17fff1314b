/**
 * The one logger of every process of the service (worker, API, codec server, stand-ins, npm start):
 * pino, which Fastify bundles, writing one JSON object per line to stdout:
 *
 *   {"level":"INFO","time":"2025-05-01T08:00:00.000Z","pid":4242,"component":"api",…,"message":"…"}
 *
 * Errors become `{ type, message, stack }`, never their enumerable fields (a Temporal failure
 * carries payloads). The level is `CSP_LOG_LEVEL`'s, with Temporal's names.
 */
import pino, { type DestinationStream } from 'pino';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type Logger = pino.Logger;

export interface DescribedError {
  type: string;
  message: string;
  stack?: string;
  cause?: DescribedError;
}

/** An error as a log line shows it: its class, message and stack, and its causes' (three deep). */
export function describeError(error: unknown, depth = 0): DescribedError {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const described: DescribedError = { type: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

/** The time of lines logged after the fact (Core's, buffered by the SDK); now otherwise. */
let lineTime: Date | undefined;

/** Logs `write` with `time` as the line's time rather than now. */
export function loggedAt(time: Date, write: () => void): void {
  lineTime = time;
  try {
    write();
  } finally {
    lineTime = undefined;
  }
}

export function createLogger(
  options: {
    level?: LogLevel;
    /** Where lines go: stdout unless a test captures them. */
    destination?: DestinationStream;
  } = {},
): Logger {
  return pino(
    {
      level: (options.level ?? 'INFO').toLowerCase(),
      messageKey: 'message',
      errorKey: 'error',
      base: { pid: process.pid },
      timestamp: () => `,"time":"${(lineTime ?? new Date()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      serializers: { error: describeError, err: describeError },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Sets the level once the configuration is read (a process logs its start-up failures at INFO). */
export function useLevel(log: Logger, level: LogLevel): Logger {
  log.level = level.toLowerCase();
  return log;
}

/** `CSP_LOG_LEVEL` for programs that read no service configuration (the stand-ins). */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const given = env.CSP_LOG_LEVEL?.trim().toUpperCase();
  if (!given) return 'INFO';
  if (!(LOG_LEVELS as readonly string[]).includes(given))
    throw new Error(`CSP_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.CSP_LOG_LEVEL}"`);
  return given as LogLevel;
}
