/**
 * The payload codec on its own: fingerprint key IDs, the version-1 format (16-byte tags, minimum
 * lengths, the key ID bound as additional data), payloads sealed before version 1, what a worker
 * makes of unsealed or broken payloads, and the development key file.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EncryptionCodec, KEY_ID_METADATA, PayloadKeyUnavailable } from '../../src/codec/encryption-codec';
import {
  developmentKeyRing,
  keyFingerprint,
  keyRingSpec,
  newPayloadKey,
  parseKeyRing,
} from '../../src/codec/key-ring';
import { open, SealBroken } from '../../src/codec/sealing';
import { isUnsealed } from '../../src/codec/unsealed';

const ring = parseKeyRing(newPayloadKey());
const client = new EncryptionCodec(ring, { unsealed: 'pass' });
const worker = new EncryptionCodec(ring, { unsealed: 'refuse' });
const value = { actor: { id: 'lead-1', role: 'review-lead' }, decision: 'approve' };
const plain = () => defaultPayloadConverter.toPayload(value);
const meta = (payload: Payload, key: string) => Buffer.from(payload.metadata![key]!).toString();
const toValue = (payload: Payload) => defaultPayloadConverter.fromPayload(payload);

async function sealedOnce(): Promise<Payload> {
  return (await client.encode([plain()]))[0];
}

function withData(payload: Payload, data: Buffer): Payload {
  return { metadata: payload.metadata, data };
}

describe('key ring', () => {
  test('IDs are fingerprints of the key material', () => {
    const key = randomBytes(32);
    const parsed = parseKeyRing(key.toString('base64'));
    expect(parsed.currentKeyId).toMatch(/^sha256-[0-9a-f]{16}$/);
    expect(parsed.currentKeyId).toBe(keyFingerprint(key));
    expect(parsed.keys.get(parsed.currentKeyId)).toEqual(key);
  });

  test('names are kept for older payloads; the current key is chosen by name or fingerprint', () => {
    const [a, b] = [newPayloadKey(), newPayloadKey()];
    const parsed = parseKeyRing(`key-2026-11=${a},${b}`, 'key-2026-11');
    const idA = keyFingerprint(Buffer.from(a, 'base64'));
    expect(parsed.currentKeyId).toBe(idA);
    expect([...parsed.legacyNames.keys()]).toEqual(['key-2026-11']);
    expect(parseKeyRing(keyRingSpec(parsed), idA).keys).toEqual(parsed.keys);
    const idB = keyFingerprint(Buffer.from(b, 'base64'));
    expect(parseKeyRing(`${a},${b}`, idB).currentKeyId).toBe(idB);
  });

  test('bad entries are refused with the entry named', () => {
    expect(() => parseKeyRing('k=c2hvcnQ=')).toThrow(/entry 1 must be base64 of 32 bytes/);
    expect(() => parseKeyRing(`${newPayloadKey()},nonsense`)).toThrow(/entry 2/);
    expect(() => parseKeyRing(`sha256-0000000000000000=${newPayloadKey()}`)).toThrow(/its fingerprint is/);
    expect(() => parseKeyRing(newPayloadKey(), 'sha256-0000000000000000')).toThrow(/no key sha256-0000/);
    expect(() => parseKeyRing(' , ')).toThrow(/at least one key/);
  });

  test('development keys: one per data folder, named by fingerprint, mode 600, created only by npm start', () => {
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'csp-keys-')));
    try {
      expect(() => developmentKeyRing(dirs[0], { create: false })).toThrow(
        /no payload keys: set CSP_PAYLOAD_KEYS/,
      );
      const [first, second] = dirs.map((dir) => developmentKeyRing(dir, { create: true }));
      expect(first.currentKeyId).not.toBe(second.currentKeyId);
      expect(developmentKeyRing(dirs[0], { create: false }).currentKeyId).toBe(first.currentKeyId);
      const file = path.join(dirs[0], 'payload-keys.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);

      // A file from before fingerprints keeps opening payloads that name `dev-1`.
      fs.writeFileSync(file, JSON.stringify({ id: 'dev-1', key: newPayloadKey() }), { mode: 0o644 });
      const old = developmentKeyRing(dirs[0], { create: false });
      expect([...old.legacyNames.keys()]).toEqual(['dev-1']);
      expect(old.currentKeyId).toMatch(/^sha256-/);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('version 1', () => {
  test('seals with a version byte and the fingerprint, and opens again', async () => {
    const sealed = await sealedOnce();
    expect(meta(sealed, 'encoding')).toBe('binary/encrypted');
    expect(meta(sealed, KEY_ID_METADATA)).toBe(ring.currentKeyId);
    expect(sealed.data![0]).toBe(1);
    expect(sealed.data!.length).toBeGreaterThanOrEqual(1 + 12 + 16);
    expect(toValue((await worker.decode([sealed]))[0])).toEqual(value);
  });

  test('the key ID is bound: the same bytes under another ID do not open', async () => {
    const sealed = await sealedOnce();
    const key = ring.keys.get(ring.currentKeyId)!;
    expect(open(key, ring.currentKeyId, Buffer.from(sealed.data!))).toBeInstanceOf(Buffer);
    expect(() => open(key, 'sha256-0000000000000000', Buffer.from(sealed.data!))).toThrow(SealBroken);
  });

  test('short tags, truncated payloads, unknown versions and flipped bits are refused', async () => {
    const sealed = await sealedOnce();
    const data = Buffer.from(sealed.data!);
    const broken = {
      'tag cut to 12 bytes': data.subarray(0, data.length - 4),
      'only version and nonce': data.subarray(0, 13),
      empty: Buffer.alloc(0),
      'version 2': Buffer.concat([Buffer.from([2]), data.subarray(1)]),
      'a flipped bit': Buffer.concat([data.subarray(0, 20), Buffer.from([data[20] ^ 1]), data.subarray(21)]),
    };
    for (const [what, bytes] of Object.entries(broken)) {
      await expect(client.decode([withData(sealed, bytes)])).rejects.toThrow(SealBroken);
      const [opened] = await worker.decode([withData(sealed, bytes)]);
      expect({ what, refused: isUnsealed(toValue(opened)) }).toEqual({ what, refused: true });
    }
  });
});

describe('payloads sealed before version 1', () => {
  /** The old format exactly: nonce, ciphertext, tag; no version byte, nothing bound. */
  function legacySeal(key: Buffer, name: string, payload: Payload): Payload {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const bytes = temporal.api.common.v1.Payload.encode(payload).finish();
    return {
      metadata: {
        encoding: Buffer.from('binary/encrypted'),
        [KEY_ID_METADATA]: Buffer.from(name),
      },
      data: Buffer.concat([nonce, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]),
    };
  }

  test('open with the key configured under the name they carry', async () => {
    const key = randomBytes(32);
    const named = parseKeyRing(`dev-1=${key.toString('base64')}`);
    const [opened] = await new EncryptionCodec(named, { unsealed: 'refuse' }).decode([
      legacySeal(key, 'dev-1', plain()),
    ]);
    expect(toValue(opened)).toEqual(value);
  });

  test('a short tag is refused there too', async () => {
    const key = randomBytes(32);
    const named = parseKeyRing(`dev-1=${key.toString('base64')}`);
    const sealed = legacySeal(key, 'dev-1', plain());
    const cut = withData(sealed, Buffer.from(sealed.data!).subarray(0, sealed.data!.length - 8));
    await expect(new EncryptionCodec(named).decode([cut])).rejects.toThrow(/failed authentication/);
  });
});

describe('what a worker opens', () => {
  test('a plain payload opens as a refusal that names why', async () => {
    const [opened] = await worker.decode([plain()]);
    const refused = toValue(opened);
    expect(isUnsealed(refused)).toBe(true);
    expect(JSON.stringify(refused)).toMatch(/not sealed with a payload key of this service/);
    // Clients and the codec server pass it through unchanged.
    expect(toValue((await client.decode([plain()]))[0])).toEqual(value);
  });

  test('a payload sealed with a key it lacks is an error naming that key and what to set', async () => {
    const other = parseKeyRing(newPayloadKey());
    const [sealed] = await new EncryptionCodec(other).encode([plain()]);
    const error = await worker.decode([sealed]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadKeyUnavailable);
    expect((error as Error).message).toContain(other.currentKeyId);
    expect((error as Error).message).toContain(ring.currentKeyId);
    expect((error as Error).message).toContain('CSP_PAYLOAD_KEYS');
  });
});
