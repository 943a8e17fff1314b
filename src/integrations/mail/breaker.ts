/**
 * Sends fail at once while the SMTP server does not answer. Notification activities share the
 * worker's activity slots with the flow's (Partner Center, the credit check, a phone code someone
 * waits for); against a server that takes or drops connections without answering, each attempt
 * holds a slot for the mailer's timeout, and a backlog of emails retrying at once could fill every
 * slot and hold up the flow. After `failuresToOpen` sends in a row timed out, sends are refused
 * for `openMs` (retryable: their activities try again when the pause is over); then one send at a
 * time probes the server, and the first that gets through lets all through again. Failures that come
 * at once (a refused connection, DNS, TLS) hold no slot and do not count, nor does an answer of
 * the server, even a refusal: with those, an email is retried as before, without waiting here.
 */
import type { Notification } from '../../domain/notifications';
import { MailDeliveryError, type Mailer } from './mailer';

export interface BreakerOptions {
  /** Timeouts in a row that stop sending for a while. */
  failuresToOpen: number;
  /** How long sends are refused before one probes the server again. */
  openMs: number;
  /**
   * Sends handed to the mailer at once: its connections. The rest wait their turn here rather
   * than in the mailer's pool, so that those still waiting when the server is found silent are
   * refused at once instead of each waiting out a timeout.
   */
  concurrency: number;
  now?: () => number;
}

/** The answer while sends are refused: retryable, with when to try again (`retryAfterMs`). */
export const CIRCUIT_OPEN = 'ECIRCUITOPEN';

/** A send that waited out the mailer's timeout (connecting, for the greeting, or for an answer). */
function timedOut(error: unknown): boolean {
  return error instanceof MailDeliveryError && error.responseCode === undefined && error.code === 'ETIMEDOUT';
}

export function withBreaker(mailer: Mailer, options: BreakerOptions): Mailer {
  const now = options.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;
  let probing = false;
  let running = 0;
  const waiting: (() => void)[] = [];

  const open = () => failures >= options.failuresToOpen;
  // Open, and either still pausing or with its one probe out.
  const refusing = () => open() && (now() < openUntil || probing);
  // Refused sends come back when the pause is over (spread over a second), or, while a probe is
  // out, a pause later: the retry policy's backoff would grow with every refusal and leave them
  // waiting minutes after the server answers again.
  const refuse = () => {
    const retryAfterMs = probing ? options.openMs : Math.max(0, openUntil - now()) + Math.random() * 1000;
    return new MailDeliveryError(
      `SMTP server silent: ${failures} sends in a row timed out; trying again in ${Math.ceil(retryAfterMs / 1000)} s`,
      true,
      undefined,
      CIRCUIT_OPEN,
      Math.round(retryAfterMs),
    );
  };
  const turn = (): Promise<void> => {
    if (running < options.concurrency) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // The turn passes to the next waiting send, or back to the pool of turns.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async send(enrollmentId: string, notification: Notification, messageScope?: string) {
      if (refusing()) throw refuse();
      await turn();
      try {
        // The server may have been found silent while this send waited its turn.
        if (refusing()) throw refuse();
        const probe = open();
        if (probe) probing = true;
        try {
          const sent = await mailer.send(enrollmentId, notification, messageScope);
          failures = 0;
          return sent;
        } catch (error) {
          if (timedOut(error)) {
            failures += 1;
            if (open()) openUntil = now() + options.openMs;
          } else failures = 0;
          throw error;
        } finally {
          if (probe) probing = false;
        }
      } finally {
        release();
      }
    },
    close: () => mailer.close(),
  };
}
