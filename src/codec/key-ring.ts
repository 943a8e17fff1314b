/**
 * The AES-256 keys that protect personal data in Temporal payloads. A key's ID is its fingerprint
 * (a SHA-256 prefix of the key material), written into every payload it seals: two processes with
 * different keys can never believe they share one, and a payload names exactly the key it needs.
 * Keys configured with a name (`name=base64`) also open payloads sealed before fingerprint IDs,
 * which carry that name.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { commaList } from '../config/values';
import { writePrivateFile } from '../process/private-files';

export interface KeyRing {
  /** Fingerprint ID of the key new payloads are sealed with. */
  currentKeyId: string;
  /** Every key, by fingerprint ID. */
  keys: ReadonlyMap<string, Buffer>;
  /** Keys by the names that payloads sealed before fingerprint IDs carry (read only). */
  legacyNames: ReadonlyMap<string, Buffer>;
}

const FINGERPRINT = /^sha256-[0-9a-f]{16}$/;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** `sha256-` and the first 16 hex digits of SHA-256(key): `head -c 32 key | sha256sum` shows it too. */
export const keyFingerprint = (key: Buffer): string =>
  `sha256-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

export const isFingerprint = (id: string): boolean => FINGERPRINT.test(id);

function decodeKey(base64: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const key = Buffer.from(base64, 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * Parses CSP_PAYLOAD_KEYS: comma-separated keys, each `base64(32 bytes)` or `name=base64(32 bytes)`
 * (a name is kept for payloads sealed before fingerprint IDs; a fingerprint as the name must match).
 * `current` is the fingerprint or name of the key that seals new payloads; default the first.
 */
export function parseKeyRing(spec: string, current?: string): KeyRing {
  const keys = new Map<string, Buffer>();
  const legacyNames = new Map<string, Buffer>();
  let first: string | undefined;
  const entries = commaList(spec);
  entries.forEach((entry, index) => {
    const at = entry.indexOf('=');
    const name = at > 0 ? entry.slice(0, at) : '';
    const named = name && NAME.test(name) ? decodeKey(entry.slice(at + 1)) : undefined;
    const key = named ?? decodeKey(entry);
    if (!key)
      throw new Error(
        `payload keys: entry ${index + 1} must be base64 of 32 bytes (AES-256), optionally as <name>=<base64>`,
      );
    const id = keyFingerprint(key);
    if (named && isFingerprint(name) && name !== id)
      throw new Error(`payload keys: entry ${index + 1} is named ${name} but its fingerprint is ${id}`);
    if (named && !isFingerprint(name)) legacyNames.set(name, key);
    keys.set(id, key);
    first ??= id;
  });
  if (!first) throw new Error('payload keys: at least one key is required');
  const wanted = current?.trim() || first;
  const currentKey = keys.get(wanted) ?? legacyNames.get(wanted);
  if (!currentKey)
    throw new Error(
      `payload keys: no key ${wanted} for CSP_PAYLOAD_KEY_ID (configured: ${[...keys.keys()].join(', ')})`,
    );
  return { currentKeyId: keyFingerprint(currentKey), keys, legacyNames };
}

/** The ring as CSP_PAYLOAD_KEYS would spell it (for child processes and tests). */
export function keyRingSpec(keyRing: KeyRing): string {
  const names = new Map([...keyRing.legacyNames].map(([name, key]) => [keyFingerprint(key), name]));
  return [...keyRing.keys].map(([id, key]) => `${names.get(id) ?? id}=${key.toString('base64')}`).join(',');
}

export const newPayloadKey = (): string => randomBytes(32).toString('base64');

/**
 * `npm start`'s key when none is configured: kept in the data folder (mode 600) so a restart still
 * opens what the last run sealed. Only `npm start` creates it; other processes read it, so a client
 * started elsewhere fails with a clear message instead of sealing with a key of its own.
 */
export function developmentKeyRing(dataDir: string, options: { create: boolean }): KeyRing {
  const file = path.join(dataDir, 'payload-keys.json');
  if (!fs.existsSync(file)) {
    if (!options.create)
      throw new Error(
        `no payload keys: set CSP_PAYLOAD_KEYS (and CSP_PAYLOAD_KEY_ID), or run where npm start keeps ${file}`,
      );
    writePrivateFile(file, JSON.stringify({ key: newPayloadKey() }) + '\n');
  }
  fs.chmodSync(file, 0o600);
  // Files written before fingerprint IDs also hold the name their payloads carry (`dev-1`).
  const { id, key } = JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: string; key: string };
  return parseKeyRing(id ? `${id}=${key}` : key);
}
