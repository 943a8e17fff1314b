/**
 * The AES-256 keys that protect personal data in Temporal payloads. Each key has an ID written
 * into every payload it encrypts, so the current key can change (rotation) while histories written
 * with older keys still decode.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface KeyRing {
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses `id=base64key,id2=base64key` (each key 32 bytes) with the current key's ID. */
export function parseKeyRing(spec: string, currentKeyId: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (at <= 0 || !KEY_ID.test(id)) throw new Error('payload keys: each entry must be <id>=<base64 key>');
    if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256), base64-encoded`);
    keys.set(id, key);
  }
  if (!keys.has(currentKeyId)) throw new Error(`payload keys: no key with the current ID ${currentKeyId}`);
  return { currentKeyId, keys };
}

/**
 * For `npm start` without configured keys: a development key kept in the data folder, so that a
 * restart still decodes what the last run wrote. Never used when keys are configured.
 */
export function developmentKeyRing(dataDir: string): KeyRing {
  const file = path.join(dataDir, 'payload-keys.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const key = { id: 'dev-1', key: randomBytes(32).toString('base64') };
    fs.writeFileSync(file, JSON.stringify(key) + '\n', { mode: 0o600 });
  }
  const { id, key } = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; key: string };
  return parseKeyRing(`${id}=${key}`, id);
}
