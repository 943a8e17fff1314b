/**
 * What the `CspOwner` search attribute holds. Search attributes are not encrypted (Temporal UI, its
 * lists and the visibility store show them in clear), and a subject may be an email (an OIDC
 * provider's `preferred_username`, a static token's ID): so the attribute never holds the subject,
 * only an opaque owner ID, `owner-` and a keyed fingerprint of the subject — HMAC-SHA256 under a key
 * derived (HKDF) from a payload key, so nobody without the payload keys can tell whose enrollment
 * it is, or confirm a guess. New enrollments use the current payload key; "my enrollments" looks
 * for the owner IDs under every key of the ring, so a key rotation loses none.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { KeyRing } from '../codec/key-ring';

export interface OwnerIds {
  /** The owner ID a new enrollment of `subject` is stored under. */
  current(subject: string): string;
  /** Every owner ID `subject`'s enrollments may be stored under (one per payload key). */
  all(subject: string): string[];
}

/** Owner IDs look like this, and nothing else does (a subject is never stored as one). */
export const OWNER_ID = /^owner-[A-Za-z0-9_-]{32}$/;

const ownerKey = (payloadKey: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', payloadKey, Buffer.alloc(0), 'csp-enrollment owner ID', 32));

export function ownerIds(keyRing: KeyRing): OwnerIds {
  const keys = new Map([...keyRing.keys].map(([id, key]) => [id, ownerKey(key)]));
  const idUnder = (key: Buffer, subject: string) =>
    `owner-${createHmac('sha256', key).update(subject, 'utf8').digest('base64url').slice(0, 32)}`;
  return {
    current: (subject) => idUnder(keys.get(keyRing.currentKeyId)!, subject),
    all: (subject) => [...new Set([...keys.values()].map((key) => idUnder(key, subject)))],
  };
}
