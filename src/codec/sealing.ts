/**
 * The byte formats of a sealed payload, AES-256-GCM with 12-byte nonces and 16-byte tags:
 *
 * - version 1: `0x01 ‖ nonce ‖ ciphertext ‖ tag`, with the version byte and the key's ID as
 *   additional authenticated data, so a payload cannot be relabelled with another key ID;
 * - legacy (payloads that name their key by a configured name, sealed before version 1):
 *   `nonce ‖ ciphertext ‖ tag`, nothing bound. Only ever opened, never written.
 *
 * Which one a payload uses follows from its key ID: fingerprint IDs came with version 1.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION_1 = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

/** The sealed bytes are malformed or fail authentication (tampered, or sealed with another key). */
export class SealBroken extends Error {
  override readonly name = 'SealBroken';
}

/**
 * Bound to the sealed bytes without being in them: the version and the key's ID, and, where the
 * caller names one, what the bytes belong to (a stored document's place), so they cannot be moved.
 */
const boundData = (keyId: string, context?: string) =>
  Buffer.concat([
    Buffer.from([VERSION_1]),
    Buffer.from(keyId, 'utf8'),
    ...(context === undefined ? [] : [Buffer.from([0]), Buffer.from(context, 'utf8')]),
  ]);

export function seal(key: Buffer, keyId: string, plain: Uint8Array, context?: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(boundData(keyId, context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION_1]), nonce, body, cipher.getAuthTag()]);
}

export function open(key: Buffer, keyId: string, sealed: Buffer, context?: string): Buffer {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES)
    throw new SealBroken(`sealed payload too short (${sealed.length} bytes)`);
  if (sealed[0] !== VERSION_1) throw new SealBroken(`unknown sealed payload version ${sealed[0]}`);
  return decrypt(key, sealed.subarray(1), boundData(keyId, context));
}

export function openLegacy(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES)
    throw new SealBroken(`sealed payload too short (${sealed.length} bytes)`);
  return decrypt(key, sealed, undefined);
}

function decrypt(key: Buffer, nonceBodyTag: Buffer, aad: Buffer | undefined): Buffer {
  const nonce = nonceBodyTag.subarray(0, NONCE_BYTES);
  const body = nonceBodyTag.subarray(NONCE_BYTES, nonceBodyTag.length - TAG_BYTES);
  const tag = nonceBodyTag.subarray(nonceBodyTag.length - TAG_BYTES);
  // authTagLength makes Node refuse any tag that is not exactly 16 bytes.
  const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealBroken('sealed payload failed authentication');
  }
}
