/**
 * The document store, both kinds — a folder, and an S3-compatible bucket (the object-store
 * stand-in, through the AWS SDK) — behind the vault: documents sealed with the payload keys, their
 * type read from their bytes, and anything changed, truncated or moved detected on the way out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sniffDocumentType } from '../../src/domain/documents';
import { FileDocumentStore } from '../../src/integrations/documents/file-store';
import { S3DocumentStore } from '../../src/integrations/documents/s3-store';
import type { DocumentStore } from '../../src/integrations/documents/store';
import {
  DocumentMissing,
  DocumentRefused,
  DocumentTampered,
  DocumentVault,
  sha256,
} from '../../src/integrations/documents/vault';
import { ObjectStoreStandIn } from '../../src/stand-ins/object-store/server';
import { TEST_KEY_RING } from '../harness/keys';
import { PNG, pdf } from '../fixtures';

const scope = {
  enrollmentId: 'enrollment-91310000MA1FL8XQ3K',
  attemptId: '01a23c46-2e45-78a1-b15f-f029aa77e1ce',
};
const other = { ...scope, enrollmentId: 'enrollment-91310000MA1FL8XQ3B' };

let dir: string;
const objectStore = new ObjectStoreStandIn(['csp-documents']);
let s3: S3DocumentStore;
let endpoint: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'documents-'));
  endpoint = await objectStore.listen();
  s3 = new S3DocumentStore({
    bucket: 'csp-documents',
    prefix: 'csp/',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test-secret' },
  });
});
afterAll(async () => {
  s3.close();
  await objectStore.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the type comes from the bytes: PDF, PNG, JPEG; nothing else', () => {
  expect(sniffDocumentType(pdf())).toBe('application/pdf');
  expect(sniffDocumentType(PNG)).toBe('image/png');
  expect(sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
  expect(sniffDocumentType(Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
  expect(sniffDocumentType(Buffer.from('MZ\x90\x00'))).toBeUndefined();
});

describe.each([
  ['a folder', () => new FileDocumentStore(dir)],
  ['an S3-compatible bucket', () => s3],
] as const)('documents in %s', (_kind, makeStore) => {
  let store: DocumentStore;
  let vault: DocumentVault;
  beforeAll(() => {
    store = makeStore();
    vault = new DocumentVault(store, TEST_KEY_RING, 64 * 1024);
  });
  const raw = async (id: string) => (await store.get(`${scope.enrollmentId}/${scope.attemptId}/${id}`))!;

  test('a document goes in sealed and comes out as uploaded, with its SHA-256', async () => {
    const bytes = pdf();
    const ref = await vault.put(scope, '营业执照.pdf', bytes);
    expect(ref).toMatchObject({
      name: '营业执照.pdf',
      type: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    const stored = await raw(ref.id);
    expect(stored.includes(Buffer.from('BUSINESS-LICENCE'))).toBe(false);
    expect((await vault.get(scope, ref)).equals(bytes)).toBe(true);
    const keys: string[] = [];
    for await (const key of store.list(`${scope.enrollmentId}/`)) keys.push(key);
    expect(keys).toContain(`${scope.enrollmentId}/${scope.attemptId}/${ref.id}`);
  });

  test('a changed, truncated or moved document is detected; a deleted one is missing', async () => {
    const ref = await vault.put(scope, 'licence.png', PNG);
    const key = `${scope.enrollmentId}/${scope.attemptId}/${ref.id}`;
    const original = await raw(ref.id);

    const flipped = Buffer.from(original);
    flipped[flipped.length - 20] ^= 0x01;
    await store.put(key, flipped);
    await expect(vault.get(scope, ref)).rejects.toThrow(DocumentTampered);

    await store.put(key, original.subarray(0, 10));
    await expect(vault.get(scope, ref)).rejects.toThrow(DocumentTampered);

    // The same sealed bytes under another enrollment do not open: they are bound to their place.
    await store.put(key, original);
    await store.put(`${other.enrollmentId}/${other.attemptId}/${ref.id}`, original);
    await expect(vault.get(other, ref)).rejects.toThrow(DocumentTampered);
    // A reference that does not match the bytes (another document's digest) is refused too.
    await expect(vault.get(scope, { ...ref, sha256: 'a'.repeat(64) })).rejects.toThrow(DocumentTampered);
    expect((await vault.get(scope, ref)).equals(PNG)).toBe(true);

    await vault.delete(scope, ref.id);
    await expect(vault.get(scope, ref)).rejects.toThrow(DocumentMissing);
  });

  test('empty, too large, and neither PDF, PNG nor JPEG are refused, whatever the name says', async () => {
    await expect(vault.put(scope, 'empty.pdf', Buffer.alloc(0))).rejects.toMatchObject({ reason: 'empty' });
    await expect(
      vault.put(scope, 'big.pdf', Buffer.concat([pdf(), Buffer.alloc(64 * 1024)])),
    ).rejects.toMatchObject({
      reason: 'too-large',
    });
    const refused = vault.put(scope, 'licence.pdf', Buffer.from('#!/bin/sh\nrm -rf /\n'));
    await expect(refused).rejects.toThrow(DocumentRefused);
    await expect(refused).rejects.toMatchObject({ reason: 'type' });
  });
});

test('the folder store keeps documents readable by their owner only', async () => {
  const vault = new DocumentVault(new FileDocumentStore(dir), TEST_KEY_RING, 64 * 1024);
  const ref = await vault.put(scope, 'licence.pdf', pdf());
  const file = path.join(dir, scope.enrollmentId, scope.attemptId, ref.id);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
});

test('the S3 stand-in refuses unsigned requests, as S3 does', async () => {
  const answer = await fetch(`${endpoint}/csp-documents/csp/anything`);
  expect(answer.status).toBe(403);
  expect(await answer.text()).toContain('<Code>AccessDenied</Code>');
});
