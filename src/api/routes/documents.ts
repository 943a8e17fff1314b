/**
 * Documents, by the claim-check pattern: the applicant uploads the bytes here, the API checks and
 * stores them encrypted outside Temporal, then attaches only their reference to the enrollment
 * (an update the workflow may refuse, in which case the stored bytes are deleted again). Reviewers
 * and the owner read them back, verified against the SHA-256 the enrollment recorded.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ATTACH_TO, DOCUMENT_TYPES, DocumentId, DocumentName, DocumentRef } from '../../domain/documents';
import type { DocumentVault } from '../../integrations/documents/vault';
import { ROLES } from '../../domain/actions';
import type { ApiDeps } from '../deps';
import { accessibleStatus, runAction } from '../enrollments';
import { ApiError } from '../errors';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';
import { ActionResultBody, EnrollmentParams, PendingActionBody } from '../schemas';

/** Declared types the upload takes; what counts is the type the bytes show. */
export const UPLOAD_TYPES = [...DOCUMENT_TYPES, 'application/octet-stream'] as const;

const UploadQuery = z.strictObject({
  name: DocumentName,
  attachTo: z.enum(ATTACH_TO).default('application'),
});
const DocumentParams = EnrollmentParams.extend({ documentId: DocumentId });
const UploadedBody = ActionResultBody.extend({ document: DocumentRef });

export function documentRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  const vault = (): DocumentVault => {
    if (!deps.documents) throw new ApiError(503, 'unavailable', 'documents are not configured on this API');
    return deps.documents;
  };

  book.add(app, {
    method: 'POST',
    url: '/enrollments/:id/documents',
    operationId: 'uploadDocument',
    summary:
      'Attach a document (PDF, PNG or JPEG, by its content) to the application or to the answer of the open question',
    tag: 'applicant',
    roles: ['applicant', 'operator'],
    params: EnrollmentParams,
    query: UploadQuery,
    rawBody: { contentTypes: UPLOAD_TYPES, description: "the document's bytes" },
    responses: {
      201: { description: 'stored and attached', schema: UploadedBody },
      202: {
        description: 'stored; the enrollment has not answered yet (read its status)',
        schema: PendingActionBody,
      },
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 503),
    },
    handler: async ({ caller, params, query, body, request, reply }) => {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const status = await accessibleStatus(deps.client, caller, params.id, deps.readDeadlineMs);
      if (status.stage === 'ended') throw new ApiError(409, 'refused', 'the enrollment has ended');
      const scope = { enrollmentId: params.id, attemptId: status.attemptId ?? params.id };
      const document = await vault().put(scope, query.name, bytes);
      const declared = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (declared && declared !== 'application/octet-stream' && declared !== document.type) {
        await vault().delete(scope, document.id);
        throw new ApiError(
          415,
          'invalid-input',
          `the document's content is ${document.type}, not ${declared}`,
        );
      }
      try {
        const answer = await runAction(
          deps.client,
          caller,
          params.id,
          'attachDocument',
          (actor) => ({ actor, document, attachTo: query.attachTo }),
          { readMs: deps.readDeadlineMs, updateMs: deps.updateDeadlineMs },
        );
        return reply.status('pending' in answer ? 202 : 201).send({ ...answer, document });
      } catch (error) {
        // Refused (or not sent): nothing refers to the stored bytes, so they go.
        await vault()
          .delete(scope, document.id)
          .catch(() => undefined);
        throw error;
      }
    },
  });

  book.add(app, {
    method: 'GET',
    url: '/enrollments/:id/documents/:documentId',
    operationId: 'readDocument',
    summary: "A document's bytes, verified against the SHA-256 the enrollment recorded",
    tag: 'enrollments',
    roles: ROLES,
    params: DocumentParams,
    responses: {
      200: { description: 'the document', contentType: 'application/octet-stream', binary: true },
      ...errorResponses(400, 401, 403, 404, 410, 503),
    },
    handler: async ({ caller, params, reply }) => {
      const status = await accessibleStatus(deps.client, caller, params.id, deps.readDeadlineMs);
      const ref = status.documents?.find((document) => document.id === params.documentId);
      if (!ref) throw new ApiError(404, 'not-found', 'no such document in this enrollment');
      const scope = { enrollmentId: params.id, attemptId: status.attemptId ?? params.id };
      const bytes = await vault().get(scope, ref);
      const ascii = ref.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply
        .header('Content-Type', ref.type)
        .header(
          'Content-Disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ref.name)}`,
        )
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "sandbox; default-src 'none'")
        .header('Cache-Control', 'no-store')
        .header('Digest', `sha-256=${Buffer.from(ref.sha256, 'hex').toString('base64')}`)
        .send(bytes);
    },
  });
}
