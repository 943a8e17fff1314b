/** An enrollment's audit trail, page by page: every entry for staff, the applicant's view for them. */
import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../domain/actions';
import { applicantAuditEntry } from '../../domain/applicant-view';
import { auditPage } from '../audit-pages';
import type { ApiDeps } from '../deps';
import { accessibleStatus } from '../enrollments';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';
import { AuditPageBody, AuditQuery, EnrollmentParams } from '../schemas';

export function auditRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  book.add(app, {
    method: 'GET',
    url: '/enrollments/:id/audit',
    operationId: 'getEnrollmentAudit',
    summary:
      'The audit trail of the enrollment attempt, oldest first, page by page (applicants: what concerns them)',
    tag: 'enrollments',
    roles: ROLES,
    params: EnrollmentParams,
    query: AuditQuery,
    responses: {
      200: { description: 'one page', schema: AuditPageBody },
      ...errorResponses(400, 401, 403, 404, 503),
    },
    handler: async ({ caller, params, query }) => {
      // The status first: it says whose enrollment it is, and holds the entries not yet in the log.
      const status = await accessibleStatus(deps.client, caller, params.id, deps.readDeadlineMs);
      return auditPage({
        status,
        log: deps.auditLog,
        view: caller.role === 'applicant' ? applicantAuditEntry : (entry) => entry,
        pageSize: query.pageSize,
        after: query.pageToken,
      });
    },
  });
}
