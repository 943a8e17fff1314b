/**
 * The one bearer-token parser and the one constant-time secret comparison of the service (API,
 * codec server, simulator). Secrets are compared as SHA-256 digests, so the comparison takes the
 * same time whatever the guess and its length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Reads `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export const secretDigest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** True when `given` is `expected`; constant time. */
export function sameSecret(given: string, expected: string | Buffer): boolean {
  const wanted = typeof expected === 'string' ? secretDigest(expected) : expected;
  return timingSafeEqual(secretDigest(given), wanted);
}
