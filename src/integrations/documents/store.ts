/**
 * Where documents' sealed bytes live, outside Temporal: a key-value store of opaque blobs. Keys
 * are `<enrollment>/<attempt>/<document>`; the file store keeps them under data/, the S3 store in
 * a bucket. What is stored is already encrypted (./vault).
 */
export interface DocumentStore {
  put(key: string, data: Buffer): Promise<void>;
  /** Undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key under `prefix` (which ends with `/`, or is empty). */
  list(prefix: string): AsyncIterable<string>;
}

/** A key's parts are IDs: letters, digits and dashes, so a key never leaves its store's folder. */
const PART = /^[A-Za-z0-9-]{1,128}$/;

export function documentKey(enrollmentId: string, attemptId: string, documentId: string): string {
  for (const part of [enrollmentId, attemptId, documentId])
    if (!PART.test(part)) throw new Error(`not an ID for a document key: ${JSON.stringify(part)}`);
  return `${enrollmentId}/${attemptId}/${documentId}`;
}

export function parseDocumentKey(key: string) {
  const [enrollmentId, attemptId, documentId, ...rest] = key.split('/');
  if (rest.length || ![enrollmentId, attemptId, documentId].every((part) => part && PART.test(part)))
    return undefined;
  return { enrollmentId: enrollmentId!, attemptId: attemptId!, documentId: documentId! };
}
