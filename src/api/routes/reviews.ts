/** The queue of pending reviews, as reviewers work it: oldest due first, who holds what since when. */
import type { FastifyInstance } from 'fastify';
import { summaryFor } from '../access';
import type { ApiDeps } from '../deps';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';
import { QueueBody, QueueQuery } from '../schemas';
import { pendingReviewsPage } from '../../client/lists';

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
    // From search attributes alone: a page never asks (and so never replays) a workflow.
    handler: async ({ caller, query }) => {
      const page = await pendingReviewsPage(deps.client, deps.taskQueue, query, { edges: deps.windowEdges });
      return {
        items: page.items.map((summary) => summaryFor(caller, summary)),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },
  });
}
