/**
 * Idempotency-Key for starting enrollments: a retried request with the same key and the same body
 * gets the first answer again; the same key with another body is a 422. In memory, per caller,
 * bounded and with a time to live, which is enough for a client retrying over a flaky network.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './errors';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

interface Entry {
  bodyHash: string;
  answer: Promise<StoredAnswer>;
  expiresAt: number;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: { maxEntries: number; ttlMs: number; now?: () => number } = {
      maxEntries: 10_000,
      ttlMs: 24 * 3600_000,
    },
  ) {}

  /** Runs `produce` once per (caller, key, body); answers of 5xx are not kept, so they can be retried. */
  async answer(
    scope: string,
    key: string,
    body: unknown,
    produce: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer & { replayed: boolean }> {
    const now = (this.options.now ?? Date.now)();
    this.evict(now);
    const id = `${scope}\u0000${key}`;
    const bodyHash = createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('hex');
    const known = this.entries.get(id);
    if (known) {
      if (known.bodyHash !== bodyHash)
        throw new ApiError(
          422,
          'idempotency-key-reused',
          'Idempotency-Key was already used with another body',
        );
      return { ...(await known.answer), replayed: true };
    }
    const answer = produce();
    this.entries.set(id, { bodyHash, answer, expiresAt: now + this.options.ttlMs });
    try {
      const result = await answer;
      if (result.status >= 500) this.entries.delete(id);
      return { ...result, replayed: false };
    } catch (error) {
      this.entries.delete(id);
      throw error;
    }
  }

  private evict(now: number): void {
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now || this.entries.size > this.options.maxEntries) this.entries.delete(id);
      else break; // insertion order = age order: the rest are younger
    }
  }
}
