/** The queue of pending reviews, as reviewers work it: oldest due first, who holds what since when. */
import type { FastifyInstance } from 'fastify';
import { statusQuery } from '../../workflows/definitions';
import { summaryFor } from '../access';
import type { ApiDeps } from '../deps';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';
import { QueueBody, QueueQuery } from '../schemas';
import { pendingReviewsPage } from '../../client/review-queue';

export function reviewRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  book.add(app, {
    method: 'GET',
    url: '/reviews',
    operationId: 'listPendingReviews',
    summary: 'Pending reviews, oldest due first, with their holder and since when',
    tag: 'review',
    roles: ['reviewer', 'review-lead', 'operator'],
    query: QueueQuery,
    responses: {
      200: { description: 'one page of the queue', schema: QueueBody },
      ...errorResponses(400, 401, 403),
    },
    handler: async ({ caller, query }) => {
      const page = await pendingReviewsPage(deps.client, deps.taskQueue, query);
      // "Since when" lives in the status; ask only for the page's holders.
      const items = await Promise.all(
        page.items.map(async (summary) => {
          const item = summaryFor(caller, summary);
          if (!summary.reviewAssignee) return item;
          const status = await deps.client.workflow
            .getHandle(summary.enrollmentId)
            .query(statusQuery)
            .catch(() => undefined);
          const assignee = status?.review.assignee;
          // Visibility lags the workflow a little: the status query is the truth for the page.
          return assignee
            ? {
                ...item,
                reviewAssignee: assignee.holder,
                heldSince: assignee.since,
                ...(assignee.assignedBy ? { assignedBy: assignee.assignedBy } : {}),
              }
            : { ...item, reviewAssignee: undefined };
        }),
      );
      return { items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    },
  });
}
