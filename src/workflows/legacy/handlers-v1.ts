/**
 * What people may do to an enrollment of the flow before the guide's paths (./enrollment-v1), and when. Each action has a zod schema, a rule that
 * says why it is refused in the current state (if it is), and an effect. The same rule guards the
 * update's validator (the caller learns of a refusal, history is untouched) and the signal (the
 * refusal is recorded in the audit trail and nothing else changes).
 */
import { ApplicationFailure, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { z } from 'zod';
import {
  AcceptAgreement,
  AnswerInformationRequest,
  ClaimReview,
  DecideReview,
  ReassignReview,
  ReleaseReview,
  RequestPhoneCode,
  SubmitApplication,
  SubmitPhoneCode,
  Withdraw,
  describeIssues,
  type Actor,
} from '../../domain/actions';
import { isUnsealed, UNSEALED_FIELD } from '../../codec/unsealed';
import type { AuditEntry, EnrollmentStatus, ReviewState } from '../../domain/status';
import { withSummary } from '../activities';
import { metrics } from '../metrics';
import {
  actions,
  searchAttributes,
  type ActionInputs,
  type ActionName,
  type ActionResult,
} from '../definitions';
import type { LegacyEnrollmentRequest } from './request-v1';

/** Decisions and requests handed from handlers to the main flow. */
export interface Pending {
  verificationId?: string;
  reviewOutcome?: { decision: 'approved' } | { decision: 'rejected'; reason: string };
  question?: ReviewState['informationRequests'][number];
  withdrawal?: { by: string; reason: string };
}

export interface EnrollmentContext {
  request: LegacyEnrollmentRequest;
  status: EnrollmentStatus;
  pending: Pending;
  audit(actor: string, action: string, detail?: string, outcome?: AuditEntry['outcome']): void;
  sendCode(): Promise<void>;
  withdraw(): void;
}

const who = (actor: Actor) => `${actor.role}:${actor.id}`;
const iso = () => new Date().toISOString();

interface ActionRule<I> {
  schema: z.ZodType<I>;
  /** Why the action is refused now, or undefined when it may go ahead. Must not change anything. */
  refusal(input: I): string | undefined;
  /** Applies the action; returns a message for the caller. */
  apply(input: I): Promise<string> | string;
}

function defineAction<N extends ActionName>(
  ctx: EnrollmentContext,
  name: N,
  rule: ActionRule<ActionInputs[N]>,
): void {
  type Input = ActionInputs[N];
  const check = (raw: unknown): { input?: Input; refusal?: string } => {
    if (isUnsealed(raw)) return { refusal: raw[UNSEALED_FIELD] };
    const parsed = rule.schema.safeParse(raw);
    if (!parsed.success) return { refusal: `invalid ${name}: ${describeIssues(parsed.error)}` };
    return { input: parsed.data, refusal: rule.refusal(parsed.data) };
  };
  const run = async (input: Input): Promise<ActionResult> => {
    const message = await rule.apply(input);
    return { stage: ctx.status.stage, message };
  };

  setHandler(
    actions[name].update,
    // The validator has passed; parsing again gives the schema's defaults and transforms.
    async (raw) => run(check(raw).input as Input),
    {
      validator: (raw) => {
        const { refusal } = check(raw);
        if (refusal)
          throw ApplicationFailure.create({ type: 'ActionRefused', message: refusal, nonRetryable: true });
      },
    },
  );
  setHandler(actions[name].signal, async (raw) => {
    const { input, refusal } = check(raw);
    if (refusal) {
      const actor = (raw as { actor?: Actor } | undefined)?.actor;
      const named = actor && typeof actor.id === 'string' && typeof actor.role === 'string';
      ctx.audit(named ? who(actor) : 'unknown', `${name} (signal)`, refusal, 'refused');
      return;
    }
    await run(input as Input);
  });
}

export function registerActions(ctx: EnrollmentContext): void {
  const { status, pending, request } = ctx;
  const { phoneVerification: phonePolicy } = request.policy;
  const ended = () => (status.stage === 'ended' ? 'the enrollment has ended' : undefined);
  const stageIs = (...stages: EnrollmentStatus['stage'][]) =>
    ended() ?? (stages.includes(status.stage) ? undefined : `not possible in stage ${status.stage}`);
  const applicantOnly = (actor: Actor) =>
    actor.role === 'applicant' || actor.role === 'operator'
      ? undefined
      : `a ${actor.role} cannot act for the applicant`;

  defineAction(ctx, 'submitPhoneCode', {
    schema: SubmitPhoneCode,
    refusal: ({ actor }) => {
      const phone = status.phoneVerification;
      if (stageIs('phone-verification')) return stageIs('phone-verification');
      if (applicantOnly(actor)) return applicantOnly(actor);
      if (phone.attemptsLeft <= 0) return 'no attempts left for this code; ask for a new code';
      if (phone.codeExpiresAt && Date.parse(phone.codeExpiresAt) <= Date.now())
        return 'the code has expired; ask for a new code';
      return undefined;
    },
    apply: async ({ actor, code }) => {
      const phone = status.phoneVerification;
      phone.attemptsLeft -= 1;
      const { valid } = await withSummary(
        'checkVerificationCode',
        'Check the phone code',
      )({
        verificationId: pending.verificationId!,
        code,
      });
      if (valid) {
        phone.verified = true;
        ctx.audit(who(actor), 'phone verified');
        return 'phone number verified';
      }
      ctx.audit(who(actor), 'wrong phone code', `${phone.attemptsLeft} attempts left`, 'refused');
      return `wrong code; ${phone.attemptsLeft} attempts left`;
    },
  });

  defineAction(ctx, 'requestPhoneCode', {
    schema: RequestPhoneCode,
    refusal: ({ actor }) =>
      stageIs('phone-verification') ??
      applicantOnly(actor) ??
      (status.phoneVerification.codesSent >= phonePolicy.maxCodes
        ? `all ${phonePolicy.maxCodes} codes were used`
        : undefined),
    apply: async ({ actor }) => {
      ctx.audit(who(actor), 'new phone code requested');
      await ctx.sendCode();
      return 'a new code was sent by SMS';
    },
  });

  defineAction(ctx, 'submitApplication', {
    schema: SubmitApplication,
    refusal: ({ actor }) =>
      stageIs('application') ??
      applicantOnly(actor) ??
      (status.application ? 'the application was already submitted' : undefined),
    apply: ({ actor, application }) => {
      status.application = application;
      ctx.audit(who(actor), 'application submitted', `MPN ID ${application.mpnId}`);
      return 'application received';
    },
  });

  defineAction(ctx, 'answerInformationRequest', {
    schema: AnswerInformationRequest,
    refusal: ({ actor }) => stageIs('information-requested') ?? applicantOnly(actor),
    apply: ({ actor, answer }) => {
      const question = pending.question!;
      question.answer = answer;
      question.answeredAt = iso();
      ctx.audit(who(actor), 'information provided');
      return 'answer received; the review resumes';
    },
  });

  defineAction(ctx, 'decideReview', {
    schema: DecideReview,
    refusal: (input) => {
      const { actor } = input;
      if (stageIs('review')) return stageIs('review');
      if (actor.role !== 'reviewer' && actor.role !== 'review-lead')
        return `a ${actor.role} cannot decide a review`;
      if (!status.review.credit) return 'the credit check has not finished yet';
      if (pending.reviewOutcome || pending.question) return 'a decision is already being processed';
      const holder = status.review.assignee?.holder;
      if (actor.role === 'reviewer' && holder !== who(actor)) {
        return holder ? `the review is held by ${holder}` : 'claim the review before deciding it';
      }
      if (input.decision === 'approve' && status.review.approvals.some((a) => a.reviewer === who(actor))) {
        return `${who(actor)} already approved; a second, different reviewer must approve (four eyes)`;
      }
      return undefined;
    },
    apply: (input) => {
      const actor = who(input.actor);
      const review = status.review;
      metrics.decision(input.decision);
      if (input.decision === 'approve') {
        review.approvals.push({
          reviewer: actor,
          at: iso(),
          ...(input.comment ? { comment: input.comment } : {}),
        });
        const missing = review.approvalsNeeded - review.approvals.length;
        ctx.audit(
          actor,
          'approved',
          missing > 0 ? `${missing} more approval needed (high credit risk)` : input.comment,
        );
        if (missing > 0) {
          assign(undefined); // four eyes: the next approval comes from someone else, who claims it
          return `approval recorded; ${missing} more approval needed`;
        }
        pending.reviewOutcome = { decision: 'approved' };
        return 'application approved';
      }
      if (input.decision === 'reject') {
        pending.reviewOutcome = { decision: 'rejected', reason: input.reason };
        ctx.audit(actor, 'rejected', input.reason);
        return 'application rejected';
      }
      const question = { question: input.reason, askedBy: actor, askedAt: iso() };
      review.informationRequests.push(question);
      pending.question = question;
      ctx.audit(actor, 'information requested', input.reason);
      return 'information requested from the applicant';
    },
  });

  /** Sets or clears who holds the review, in the status and in the search attribute. */
  function assign(holder: string | undefined, assignedBy?: string): void {
    status.review.assignee = holder
      ? { holder, since: iso(), ...(assignedBy ? { assignedBy } : {}) }
      : undefined;
    upsertSearchAttributes([{ key: searchAttributes.reviewAssignee, value: holder ?? null }]);
  }
  const reviewer = (actor: Actor) =>
    actor.role === 'reviewer' || actor.role === 'review-lead'
      ? undefined
      : `a ${actor.role} cannot hold a review`;

  defineAction(ctx, 'claimReview', {
    schema: ClaimReview,
    refusal: ({ actor }) => {
      const holder = status.review.assignee?.holder;
      return (
        stageIs('review', 'information-requested') ??
        reviewer(actor) ??
        (holder === who(actor) ? 'you already hold this review' : undefined) ??
        (holder ? `the review is held by ${holder} since ${status.review.assignee?.since}` : undefined) ??
        (status.review.approvals.some((a) => a.reviewer === who(actor))
          ? 'you already approved; a different reviewer must take the second approval'
          : undefined)
      );
    },
    apply: ({ actor }) => {
      assign(who(actor));
      ctx.audit(who(actor), 'review claimed');
      return 'review claimed';
    },
  });

  defineAction(ctx, 'releaseReview', {
    schema: ReleaseReview,
    refusal: ({ actor }) => {
      const holder = status.review.assignee?.holder;
      if (stageIs('review', 'information-requested')) return stageIs('review', 'information-requested');
      if (!holder) return 'nobody holds the review';
      if (holder !== who(actor) && actor.role !== 'review-lead')
        return `only ${holder} or a review lead can release it`;
      return undefined;
    },
    apply: ({ actor }) => {
      const holder = status.review.assignee?.holder;
      assign(undefined);
      ctx.audit(who(actor), 'review released', holder === who(actor) ? undefined : `was held by ${holder}`);
      return 'review released';
    },
  });

  defineAction(ctx, 'reassignReview', {
    schema: ReassignReview,
    refusal: ({ actor, to }) =>
      stageIs('review', 'information-requested') ??
      (actor.role === 'review-lead' ? undefined : 'only a review lead can reassign a review') ??
      (status.review.approvals.some((a) => a.reviewer === who(to))
        ? `${who(to)} already approved; four eyes needs someone else`
        : undefined),
    apply: ({ actor, to }) => {
      const previous = status.review.assignee?.holder;
      assign(who(to), who(actor));
      ctx.audit(who(actor), 'review reassigned', `to ${who(to)}${previous ? ` (was ${previous})` : ''}`);
      return `review assigned to ${who(to)}`;
    },
  });

  defineAction(ctx, 'acceptAgreement', {
    schema: AcceptAgreement,
    refusal: ({ actor, agreementVersion, textDigest }) => {
      const offer = status.agreement;
      if (stageIs('agreement')) return stageIs('agreement');
      if (actor.role !== 'applicant') return 'only the applicant can accept the agreement';
      if (offer.acceptance) return 'the agreement was already accepted';
      if (!offer.version) return 'the agreement offer is being prepared; try again in a moment';
      if (agreementVersion !== offer.version)
        return `agreement version ${agreementVersion} is not the one offered (${offer.version})`;
      if (textDigest !== offer.textDigest) return 'the agreement text digest does not match the text offered';
      return undefined;
    },
    apply: ({ actor, agreementVersion, textDigest }) => {
      status.agreement.acceptance = {
        acceptedBy: who(actor),
        acceptedAt: iso(),
        version: agreementVersion,
        textDigest,
      };
      ctx.audit(who(actor), 'agreement accepted', `version ${agreementVersion}`);
      return 'agreement accepted';
    },
  });

  defineAction(ctx, 'withdraw', {
    schema: Withdraw,
    refusal: ({ actor }) =>
      ended() ?? applicantOnly(actor) ?? (pending.withdrawal ? 'already withdrawing' : undefined),
    apply: ({ actor, reason }) => {
      pending.withdrawal = { by: who(actor), reason: reason ?? `withdrawn by ${who(actor)}` };
      ctx.audit(who(actor), 'withdrawal requested', reason);
      ctx.withdraw();
      return 'the enrollment is being withdrawn';
    },
  });
}
