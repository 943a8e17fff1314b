/**
 * Documents, checked and sealed on the way in and verified on the way out. A document's bytes are
 * encrypted with the payload keys (AES-256-GCM, bound to the document's place, so a blob copied to
 * another enrollment does not open) and stored outside Temporal; the enrollment's history holds
 * only its reference: ID, name, type, size and SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KeyRing } from '../../codec/key-ring';
import { open, seal, SealBroken } from '../../codec/sealing';
import { sniffDocumentType, type DocumentRef } from '../../domain/documents';
import { documentKey, type DocumentStore } from './store';

/** Which enrollment attempt a document belongs to. */
export interface DocumentScope {
  enrollmentId: string;
  attemptId: string;
}

/** The document is not one the service takes (4xx for the uploader). */
export class DocumentRefused extends Error {
  override readonly name = 'DocumentRefused';
  constructor(
    message: string,
    readonly reason: 'empty' | 'too-large' | 'type',
  ) {
    super(message);
  }
}

/** The stored bytes are not what was uploaded: changed, truncated, or moved from elsewhere. */
export class DocumentTampered extends Error {
  override readonly name = 'DocumentTampered';
}

export class DocumentMissing extends Error {
  override readonly name = 'DocumentMissing';
}

/** Stored format: key ID length (1 byte) ‖ key ID ‖ sealed bytes. */
function frame(keyId: string, sealed: Buffer): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([id.length]), id, sealed]);
}

function unframe(stored: Buffer): { keyId: string; sealed: Buffer } {
  const length = stored[0] ?? 0;
  if (stored.length < 1 + length) throw new DocumentTampered('the stored document is truncated');
  return { keyId: stored.subarray(1, 1 + length).toString('utf8'), sealed: stored.subarray(1 + length) };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class DocumentVault {
  constructor(
    readonly store: DocumentStore,
    private readonly keyRing: KeyRing,
    readonly maxBytes: number,
  ) {}

  /** Checks the bytes (not empty, not too large, PDF/PNG/JPEG by content), seals and stores them. */
  async put(scope: DocumentScope, name: string, bytes: Buffer): Promise<DocumentRef> {
    if (bytes.length === 0) throw new DocumentRefused('the document is empty', 'empty');
    if (bytes.length > this.maxBytes)
      throw new DocumentRefused(`the document is larger than ${this.maxBytes} bytes`, 'too-large');
    const type = sniffDocumentType(bytes);
    if (!type) throw new DocumentRefused('the document is not a PDF, PNG or JPEG file', 'type');
    const id = `doc-${randomBytes(16).toString('hex')}`;
    const key = documentKey(scope.enrollmentId, scope.attemptId, id);
    const { currentKeyId } = this.keyRing;
    const sealed = seal(this.keyRing.keys.get(currentKeyId)!, currentKeyId, bytes, key);
    await this.store.put(key, frame(currentKeyId, sealed));
    return { id, name, type, size: bytes.length, sha256: sha256(bytes) };
  }

  /** The document's bytes, as uploaded: anything else is DocumentTampered. */
  async get(scope: DocumentScope, ref: DocumentRef): Promise<Buffer> {
    const key = documentKey(scope.enrollmentId, scope.attemptId, ref.id);
    const stored = await this.store.get(key);
    if (!stored) throw new DocumentMissing(`document ${ref.id} is no longer stored (retention)`);
    const { keyId, sealed } = unframe(stored);
    const secret = this.keyRing.keys.get(keyId);
    if (!secret)
      throw new Error(
        `document ${ref.id} is sealed with payload key ${keyId}, which this process does not hold`,
      );
    let bytes: Buffer;
    try {
      bytes = open(secret, keyId, sealed, key);
    } catch (error) {
      if (error instanceof SealBroken) throw new DocumentTampered(`document ${ref.id}: ${error.message}`);
      throw error;
    }
    if (bytes.length !== ref.size || sha256(bytes) !== ref.sha256)
      throw new DocumentTampered(`document ${ref.id} does not match its recorded SHA-256`);
    return bytes;
  }

  delete(scope: DocumentScope, documentId: string): Promise<void> {
    return this.store.delete(documentKey(scope.enrollmentId, scope.attemptId, documentId));
  }
}
