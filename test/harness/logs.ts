/** Loggers for suites: a quiet one, and one whose lines a test reads back. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/process/logger';

/** Errors only, as suites make things fail on purpose: to stdout, like a real process's. */
export const quietLog = (): Logger => createLogger({ level: 'ERROR' }).child({ component: 'test' });

export interface CapturedLog {
  log: Logger;
  /** Every line so far, as written. */
  text(): string;
  /** Every line so far, parsed. */
  lines(): Record<string, unknown>[];
}

export function capturedLog(): CapturedLog {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ level: 'DEBUG', destination });
  const text = () => chunks.join('');
  return {
    log,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
