/**
 * Documents applicants attach to their application and to their answers (a business licence,
 * 营业执照, is what reviewers ask for first). They travel by the claim-check pattern: the bytes
 * are stored outside Temporal, encrypted; an enrollment's history holds only this reference.
 */
import { z } from 'zod';

export const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** What a document is attached to: the application, or the answer to the open question. */
export const ATTACH_TO = ['application', 'answer'] as const;
export type AttachTo = (typeof ATTACH_TO)[number];

/** The most documents one enrollment may hold. */
export const MAX_DOCUMENTS = 20;

export const DocumentId = z.string().regex(/^doc-[0-9a-f]{32}$/, 'must be a document ID such as doc-…');

/** A file name as shown to reviewers: no path, no control characters. */
export const DocumentName = z
  .string()
  .trim()
  .min(1, 'a file name is required')
  .max(200)
  .refine(
    (name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '/' || c === '\\'),
    'must be a plain file name',
  );

export const DocumentRef = z.strictObject({
  id: DocumentId,
  name: DocumentName,
  type: z.enum(DOCUMENT_TYPES),
  size: z.number().int().positive(),
  /** Hex SHA-256 of the document's bytes: what the reviewer opens is what was uploaded. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

/** A document as the enrollment records it (its schema is part of the status's). */
export type { AttachedDocument } from './status';

/** The type a document's bytes say it is (never its name or its declared type); undefined if none allowed. */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return undefined;
}
