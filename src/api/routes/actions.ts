/**
 * What applicants and reviewers do to an enrollment. Each route validates its body, checks the
 * caller may touch the enrollment, and runs the workflow's update: a refusal is a 409 with the
 * workflow's reason, and the workflow is unchanged.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ActionName } from '../../workflows/definitions';
import type { ApiDeps } from '../deps';
import { runAction } from '../enrollments';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';
import {
  ActionResultBody,
  AgreementBody,
  ApplicationBody,
  DecisionBody,
  EmptyBody,
  EnrollmentParams,
  InformationBody,
  PhoneCodeBody,
  ReassignBody,
  WithdrawBody,
} from '../schemas';
import type { Role } from '../tokens';

interface ActionRoute<B> {
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  action: ActionName;
  body: z.ZodType<B>;
  /** The update's input besides the actor. */
  input?: (body: B) => Record<string, unknown>;
}

const ACTION_ROUTES: ActionRoute<never>[] = [
  route({
    path: 'phone-code',
    operationId: 'submitPhoneCode',
    summary: 'Submit the 6-digit code sent by SMS',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'submitPhoneCode',
    body: PhoneCodeBody,
  }),
  route({
    path: 'phone-code/new',
    operationId: 'requestPhoneCode',
    summary: 'Ask for a new SMS code',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'requestPhoneCode',
    body: EmptyBody,
  }),
  route({
    path: 'application',
    operationId: 'submitApplication',
    summary: 'Submit the CSP application (the body is the application)',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'submitApplication',
    body: ApplicationBody,
    input: (application) => ({ application }),
  }),
  route({
    path: 'information',
    operationId: 'answerInformationRequest',
    summary: "Answer the reviewer's request for information",
    tag: 'applicant',
    roles: ['applicant'],
    action: 'answerInformationRequest',
    body: InformationBody,
  }),
  route({
    path: 'agreement',
    operationId: 'acceptAgreement',
    summary: 'Accept the offered agreement, quoting its version and text digest',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'acceptAgreement',
    body: AgreementBody,
  }),
  route({
    path: 'withdraw',
    operationId: 'withdraw',
    summary: 'Withdraw the enrollment (its applicant, or an operator)',
    tag: 'applicant',
    roles: ['applicant', 'operator'],
    action: 'withdraw',
    body: WithdrawBody,
  }),
  route({
    path: 'decision',
    operationId: 'decideReview',
    summary: 'Approve, reject with a reason, or request information (the holder of the review, or a lead)',
    tag: 'review',
    roles: ['reviewer', 'review-lead'],
    action: 'decideReview',
    body: DecisionBody,
  }),
  route({
    path: 'review/claim',
    operationId: 'claimReview',
    summary: 'Take the pending review',
    tag: 'review',
    roles: ['reviewer', 'review-lead'],
    action: 'claimReview',
    body: EmptyBody,
  }),
  route({
    path: 'review/release',
    operationId: 'releaseReview',
    summary: 'Give the review back to the queue (its holder, or a lead)',
    tag: 'review',
    roles: ['reviewer', 'review-lead'],
    action: 'releaseReview',
    body: EmptyBody,
  }),
  route({
    path: 'review/reassign',
    operationId: 'reassignReview',
    summary: 'Assign the review to someone (review leads)',
    tag: 'review',
    roles: ['review-lead'],
    action: 'reassignReview',
    body: ReassignBody,
  }),
];

/** Keeps each entry's body type tied to its input function. */
function route<B>(spec: ActionRoute<B>): ActionRoute<never> {
  return spec as unknown as ActionRoute<never>;
}

export function actionRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  for (const spec of ACTION_ROUTES) {
    book.add(app, {
      method: 'POST',
      url: `/enrollments/:id/${spec.path}`,
      operationId: spec.operationId,
      summary: spec.summary,
      tag: spec.tag,
      roles: spec.roles,
      params: EnrollmentParams,
      body: spec.body as z.ZodType<unknown>,
      responses: {
        200: { description: 'accepted by the workflow', schema: ActionResultBody },
        ...errorResponses(400, 401, 403, 404, 409),
      },
      handler: ({ caller, params, body }) => {
        const input = spec.input ? spec.input(body as never) : (body as Record<string, unknown>);
        return runAction(deps.client, caller, params.id, spec.action, input);
      },
    });
  }
}
