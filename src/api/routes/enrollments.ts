/** Starting, listing and reading enrollments. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { startEnrollment } from '../../client/enrollments';
import { statusFor, summaryFor } from '../access';
import type { ApiDeps } from '../deps';
import { ApiError, toApiError } from '../errors';
import { errorResponses as errors } from '../responses';
import { IdempotencyCache } from '../idempotency';
import type { RouteBook } from '../route-book';
import { EnrollmentBody, EnrollmentParams, ListBody, ListQuery, StartBody, StartedBody } from '../schemas';
import { ROLES } from '../../domain/actions';
import { accessibleStatus } from '../enrollments';
import { enrollmentsPage } from '../../client/lists';
import { enrollmentIdFor } from '../../domain/enrollment';

const IdempotencyKey = z.string().trim().min(1).max(200);

export function enrollmentRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  const idempotency = deps.idempotency ?? new IdempotencyCache();

  book.add(app, {
    method: 'POST',
    url: '/enrollments',
    operationId: 'startEnrollment',
    summary: 'Start an enrollment; the caller becomes its owner',
    tag: 'enrollments',
    roles: ['applicant'],
    body: StartBody,
    headers: [
      { name: 'Idempotency-Key', description: 'retries with the same key and body get the first answer' },
    ],
    responses: {
      201: { description: 'started', schema: StartedBody },
      ...errors(400, 401, 403, 409, 422),
    },
    handler: async ({ caller, body, request, reply }) => {
      const start = async () => {
        try {
          const handle = await startEnrollment(deps.client, {
            taskQueue: deps.taskQueue,
            request: { ...body, owner: caller.id },
            ownerId: deps.ownerIds.current(caller.id),
          });
          const enrollmentId = handle.workflowId;
          return {
            status: 201,
            body: { enrollmentId, stage: 'account-setup', location: `/enrollments/${enrollmentId}` },
          };
        } catch (error) {
          const apiError = toApiError(error);
          if (apiError.status >= 500) throw error;
          return {
            status: apiError.status,
            body: { error: { code: apiError.code, message: apiError.message } },
          };
        }
      };
      const rawKey = request.headers['idempotency-key'];
      let answer: { status: number; body: unknown; replayed?: boolean };
      if (rawKey === undefined) answer = await start();
      else {
        const key = IdempotencyKey.safeParse(rawKey);
        if (!key.success) throw ApiError.fromZod(key.error, 'headers.idempotency-key');
        answer = await idempotency.answer(`${caller.role}:${caller.id}`, key.data, body, start);
      }
      if (answer.replayed) reply.header('Idempotent-Replayed', 'true');
      if (answer.status === 201) reply.header('Location', (answer.body as { location: string }).location);
      return reply.status(answer.status).send(answer.body);
    },
  });

  book.add(app, {
    method: 'GET',
    url: '/enrollments',
    operationId: 'listEnrollments',
    summary:
      'Enrollments, one page at a time: by stage or end state, searched by company, MPN ID or registration number, in the order asked (applicants: their own only)',
    tag: 'enrollments',
    roles: ROLES,
    query: ListQuery,
    responses: { 200: { description: 'one page', schema: ListBody }, ...errors(400, 401, 403) },
    handler: async ({ caller, query }) => {
      const staffOnly = query.incident || query.order === 'decided' || query.order === 'stage-since';
      if (caller.role === 'applicant' && staffOnly)
        throw new ApiError(
          403,
          'forbidden',
          'an applicant lists their own enrollments by recency or due date',
        );
      const page = await enrollmentsPage(
        deps.client,
        {
          taskQueue: deps.taskQueue,
          stage: query.stage,
          endState: query.endState,
          companyPrefix: query.company,
          mpnId: query.mpnId,
          enrollmentId: query.registrationNumber && enrollmentIdFor(query.registrationNumber),
          incident: query.incident,
          decided: query.order === 'decided' || undefined,
          // Enrollments started before owner IDs hold the subject itself, until they end.
          owners: caller.role === 'applicant' ? [...deps.ownerIds.all(caller.id), caller.id] : undefined,
        },
        query.order,
        query,
        { edges: deps.windowEdges },
      );
      return {
        items: page.items.map((summary) => summaryFor(caller, summary)),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },
  });

  book.add(app, {
    method: 'GET',
    url: '/enrollments/:id',
    operationId: 'getEnrollment',
    summary:
      'One enrollment: stage, deadlines, application, review (credit result for staff) and audit trail',
    tag: 'enrollments',
    roles: ROLES,
    params: EnrollmentParams,
    responses: {
      200: { description: 'the enrollment', schema: EnrollmentBody },
      ...errors(400, 401, 403, 404, 503),
    },
    handler: async ({ caller, params }) =>
      statusFor(caller, await accessibleStatus(deps.client, caller, params.id, deps.readDeadlineMs)),
  });
}
