/**
 * What applicants and reviewers do to an enrollment. Each route validates its body, checks the
 * caller may touch the enrollment, and runs the workflow's update: a refusal is a 409 with the
 * workflow's reason, and the workflow is unchanged.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../../domain/actions';
import type { ActionInputs, ActionName } from '../../workflows/definitions';
import type { ApiDeps } from '../deps';
import { assertMaySign } from '../access';
import { runAction, type ActionAccess, type ActionAnswer } from '../enrollments';
import { ApiError } from '../errors';
import { errorResponses } from '../responses';
import type { RouteBook } from '../route-book';
import {
  AccountDetailsBody,
  ActionResultBody,
  AgreementBody,
  ApplicationBody,
  DeadlineBody,
  DecisionBody,
  EmptyBody,
  EnrollmentParams,
  IncidentBody,
  InformationBody,
  NotificationParams,
  PendingActionBody,
  PhoneCodeBody,
  ReassignBody,
  WithdrawBody,
} from '../schemas';
import type { Caller, Role } from '../tokens';

interface ActionRoute<N extends ActionName, B> {
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  action: N;
  body: z.ZodType<B>;
  /** The update's input: the body and who acts (the token's subject, never the body's say). */
  input: (body: B, actor: Actor, caller: Caller) => ActionInputs[N];
  /** Who may take it (default: the enrollment's owner, and staff by role). */
  access?: ActionAccess;
  /** A check the API makes before the workflow sees the action (what only the API knows). */
  check?: (body: B, deps: ApiDeps) => void;
}

/** Most bodies are the update's input as it is, but for the actor. */
const withActor = <B extends object>(body: B, actor: Actor) => ({ ...body, actor });

type AddRoute = (app: FastifyInstance, book: RouteBook, deps: ApiDeps) => void;

const ACTION_ROUTES: AddRoute[] = [
  route({
    path: 'account-details',
    operationId: 'correctAccountDetails',
    summary: 'Correct the account details Partner Center refused: the work account and/or the global admin',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'correctAccountDetails',
    body: AccountDetailsBody,
    input: withActor,
  }),
  route({
    path: 'phone-code',
    operationId: 'submitPhoneCode',
    summary: 'Submit the 6-digit code sent by SMS',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'submitPhoneCode',
    body: PhoneCodeBody,
    input: withActor,
  }),
  route({
    path: 'phone-code/new',
    operationId: 'requestPhoneCode',
    summary: 'Ask for a new verification code (SMS to a mobile, voice call to a landline)',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'requestPhoneCode',
    body: EmptyBody,
    input: withActor,
  }),
  route({
    path: 'application',
    operationId: 'submitApplication',
    summary: 'Submit the CSP application (the body is the application)',
    tag: 'applicant',
    roles: ['applicant'],
    action: 'submitApplication',
    body: ApplicationBody,
    input: (application, actor) => ({ actor, application }),
  }),
  route({
    path: 'information',
    operationId: 'answerInformationRequest',
    summary: "Answer the reviewer's request for information",
    tag: 'applicant',
    roles: ['applicant'],
    action: 'answerInformationRequest',
    body: InformationBody,
    input: withActor,
  }),
  route({
    path: 'agreement',
    operationId: 'acceptAgreement',
    summary:
      "Sign the 21Vianet CSP reseller agreement, quoting its version and text digest: the enrollment's global admin, signed in (the signer is the sign-in's verified email)",
    tag: 'applicant',
    roles: ['applicant'],
    action: 'acceptAgreement',
    body: AgreementBody,
    // The signer is who signed in, never a field; the workflow checks them against its global admin too.
    input: (body, actor, caller) => ({ ...body, actor, signerEmail: caller.email }),
    access: assertMaySign,
  }),
  route({
    path: 'incident',
    operationId: 'resolveIncident',
    summary:
      'Settle the open incident: run the failed step again, or end the enrollment (operators; audited)',
    tag: 'operations',
    roles: ['operator'],
    action: 'resolveIncident',
    body: IncidentBody,
    input: withActor,
  }),
  route({
    path: 'deadline',
    operationId: 'extendDeadline',
    summary: "Move the current stage's deadline later, with a reason (operators; audited)",
    tag: 'operations',
    roles: ['operator'],
    action: 'extendDeadline',
    body: DeadlineBody,
    input: withActor,
  }),
  route({
    path: 'withdraw',
    operationId: 'withdraw',
    summary: 'Withdraw the enrollment (its applicant, or an operator)',
    tag: 'applicant',
    roles: ['applicant', 'operator'],
    action: 'withdraw',
    body: WithdrawBody,
    input: withActor,
  }),
  route({
    path: 'decision',
    operationId: 'decideReview',
    summary: 'Approve, reject with a reason, or request information (the holder of the review, or a lead)',
    tag: 'review',
    roles: ['reviewer', 'review-lead'],
    action: 'decideReview',
    body: DecisionBody,
    input: withActor,
  }),
  route({
    path: 'review/claim',
    operationId: 'claimReview',
    summary: 'Take the pending review',
    tag: 'review',
    roles: ['reviewer', 'review-lead'],
    action: 'claimReview',
    body: EmptyBody,
    input: withActor,
  }),
  route({
    path: 'review/release',
    operationId: 'releaseReview',
    summary: 'Give the review back to the queue (its holder, or a lead)',
    tag: 'review',
    roles: ['reviewer', 'review-lead'],
    action: 'releaseReview',
    body: EmptyBody,
    input: withActor,
  }),
  route({
    path: 'review/reassign',
    operationId: 'reassignReview',
    summary: 'Assign the review to someone (review leads)',
    tag: 'review',
    roles: ['review-lead'],
    action: 'reassignReview',
    body: ReassignBody,
    input: withActor,
    check: ({ to }, deps) => {
      // Only to someone the service knows in that role: the token table, or the configured directory.
      if (deps.directory && !deps.directory.knows(to.id, to.role))
        throw new ApiError(400, 'invalid-input', `body.to: nobody known as ${to.role} ${to.id}`, [
          { path: 'body.to', message: `not a known ${to.role}` },
        ]);
    },
  }),
];

/** Any action's answer when the workflow did not answer within the update deadline. */
const NOT_ANSWERED_IN_TIME = {
  description: 'not answered within the deadline: it may still take effect; `Location` is the status',
  schema: PendingActionBody,
};

/** Keeps each route's action, body and input types together until it is added. */
function route<N extends ActionName, B>(spec: ActionRoute<N, B>): AddRoute {
  return (app, book, deps) => addActionRoute(app, book, deps, spec);
}

function addActionRoute<N extends ActionName, B>(
  app: FastifyInstance,
  book: RouteBook,
  deps: ApiDeps,
  spec: ActionRoute<N, B>,
): void {
  const deadlines = { readMs: deps.readDeadlineMs, updateMs: deps.updateDeadlineMs };
  book.add(app, {
    method: 'POST',
    url: `/enrollments/:id/${spec.path}`,
    operationId: spec.operationId,
    summary: spec.summary,
    tag: spec.tag,
    roles: spec.roles,
    params: EnrollmentParams,
    body: spec.body,
    responses: {
      200: { description: 'accepted by the workflow', schema: ActionResultBody },
      202: NOT_ANSWERED_IN_TIME,
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
    handler: async ({ caller, params, body, reply }) => {
      spec.check?.(body, deps);
      const input = (actor: Actor) => spec.input(body, actor, caller);
      return answer(
        reply,
        await runAction(deps.client, caller, params.id, spec.action, input, deadlines, spec.access),
      );
    },
  });
}

export function actionRoutes(app: FastifyInstance, book: RouteBook, deps: ApiDeps): void {
  const deadlines = { readMs: deps.readDeadlineMs, updateMs: deps.updateDeadlineMs };
  for (const add of ACTION_ROUTES) add(app, book, deps);

  book.add(app, {
    method: 'POST',
    url: '/enrollments/:id/notifications/:key/resend',
    operationId: 'resendNotification',
    summary: 'Send an undelivered email again (operators; audited)',
    tag: 'operations',
    roles: ['operator'],
    params: NotificationParams,
    body: EmptyBody,
    responses: {
      200: { description: 'the email is on its way again', schema: ActionResultBody },
      202: NOT_ANSWERED_IN_TIME,
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
    handler: async ({ caller, params, reply }) =>
      answer(
        reply,
        await runAction(
          deps.client,
          caller,
          params.id,
          'resendNotification',
          (actor) => ({ actor, key: params.key }),
          deadlines,
        ),
      ),
  });
}

/** 200 with the workflow's answer, or 202 with the status location when it is still pending. */
function answer(reply: FastifyReply, result: ActionAnswer) {
  if ('pending' in result) reply.status(202).header('Location', result.location);
  return result;
}
