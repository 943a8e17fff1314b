/**
 * The guide's step 5, continued: 21Vianet reviews the application, with a credit (solvency)
 * check, and "it may take several weeks". The review stays open until decided — it never expires
 * on the applicant. Reviewers are reminded, review leads get it after two weeks, the program's
 * operators when it is overdue, and the applicant hears regularly that it goes on. Time the
 * applicant spends answering a question does not count against reviewers.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  ClaimReview,
  DecideReview,
  ReassignReview,
  ReleaseReview,
  AnswerInformationRequest,
  type Actor,
} from '../../domain/actions';
import { CREDIT_DECLINED_FOR_APPLICANT } from '../../domain/applicant-view';
import { durationMs } from '../../domain/enrollment';
import { reviewFlags } from '../../domain/review-flags';
import { withSummary } from '../activities';
import { inStep } from '../incidents';
import { answerDocuments } from '../documents';
import { openAgreementStage } from './agreement';
import { defineAction, rules, who } from '../actions';
import { epochSeconds, iso, type Enrollment } from '../context';
import { actions, searchAttributes } from '../definitions';
import { follows, ofThisEdition } from '../edition';
import { Ended } from '../ending';
import { businessFailure } from '../failures';
import { metrics } from '../metrics';
import { waitFor, type Alarm } from '../waiting';

const DAY = 86_400_000;
const AGREEMENT_STAGE_IN_DECISION = 'agreement-stage-in-decision-task';
/**
 * Since this patch a review that moved from the earlier flow takes this flow's deadlines as it
 * arrives: its stage stays `review`, so it is never entered here, and without this it kept the
 * earlier flow's expiry as its due date and no overdue time.
 */
const MOVED_REVIEW_DEADLINES = 'moved-review-deadlines';
const CLOCKS = [
  'review-reminders',
  'review-escalation',
  'review-overdue',
  'review-applicant-updates',
] as const;

export async function review(e: Enrollment): Promise<void> {
  const { status, pending } = e;
  const state = status.review;
  if (!state.startedAt) {
    state.startedAt = iso();
    state.pausedMs = 0;
  }
  // Only reviews of the earlier flow are under way here without an overdue time.
  if (status.stage === 'review' && !state.overdueAt && follows(MOVED_REVIEW_DEADLINES)) takeOverReview(e);
  if (status.stage === 'information-requested') await askApplicant(e, true); // continued as new while asking
  for (;;) {
    if (status.stage !== 'review') enterReview(e);
    if (!state.credit) await runCreditCheck(e);
    await waitFor(() => !!pending.reviewOutcome || !!pending.question, {
      summary: 'Wait for the review decision',
      alarms: alarms(e),
      historyFull: () => e.historyFull(),
      onWait: e.onWait,
    });
    const outcome = pending.reviewOutcome;
    if (outcome?.decision === 'rejected') throw new Ended('rejected', outcome.reason);
    if (outcome?.decision === 'approved') {
      e.audit('system', 'application approved');
      return;
    }
    await askApplicant(e, false);
  }
}

/** Reviewers' time starts at the review's start and stops while the applicant answers. */
const reviewStart = (e: Enrollment) =>
  Date.parse(e.status.review.startedAt!) + (e.status.review.pausedMs ?? 0);

function enterReview(e: Enrollment): void {
  const escalateAt = scheduleReview(e);
  const reviewDue = { key: searchAttributes.reviewDue, value: new Date(escalateAt) };
  // One upsert (one history event, one visibility write) in runs of the edition; two before.
  if (ofThisEdition()) return e.enterStage('review', escalateAt, [reviewDue]);
  e.enterStage('review', escalateAt);
  upsertSearchAttributes([reviewDue]);
}

/**
 * A review of the earlier flow goes on here in its stage, with this flow's deadlines from its own
 * start: due (escalation) and overdue, no expiry — in the status and the search attributes.
 */
function takeOverReview(e: Enrollment): void {
  const escalateAt = scheduleReview(e);
  e.status.dueAt = iso(escalateAt);
  upsertSearchAttributes([
    { key: searchAttributes.dueAt, value: new Date(escalateAt) },
    { key: searchAttributes.reviewDue, value: new Date(escalateAt) },
  ]);
  setCurrentDetails(`**Stage:** review  \n**Due:** ${iso(escalateAt)}`);
  e.audit(
    'system',
    'review moved to the guide flow',
    `it no longer expires; due ${iso(escalateAt)}, overdue ${e.status.review.overdueAt}`,
  );
}

/** The review's deadlines, counted from its start; returns when it escalates (its due time). */
function scheduleReview(e: Enrollment): number {
  const { review: state } = e.status;
  const { policy } = e;
  const start = reviewStart(e);
  const escalateAt = start + durationMs(policy.review.escalateAfter);
  state.dueAt = iso(escalateAt);
  state.overdueAt = iso(start + durationMs(policy.review.overdueAfter));
  state.expiresAt = undefined;
  return escalateAt;
}

function alarms(e: Enrollment): Alarm[] {
  const { status, policy } = e;
  const state = status.review;
  const start = reviewStart(e);
  const waitingDays = () => Math.floor((Date.now() - start) / DAY);
  const [reminders, escalation, overdue, applicantUpdates] = CLOCKS.map((key) => e.reminderClock(key));
  // A review that came from the earlier flow may have escalated already.
  if (state.escalatedAt && escalation.sent === 0) escalation.sent = 1;
  const every = (duration: string) => durationMs(duration);
  return [
    {
      clock: reminders,
      firstAt: start + every(policy.review.reminderEvery),
      every: every(policy.review.reminderEvery),
      fire: (n) => {
        e.audit('system', `reminder #${n} to reviewers`);
        metrics.reminder('reviewers');
        e.mail.send(`review-reminder-${n}`, 'review-reminder', 'reviewers', { dueAt: state.dueAt });
      },
    },
    {
      clock: escalation,
      firstAt: start + every(policy.review.escalateAfter),
      fire: () => {
        state.escalatedAt = iso();
        metrics.reminder('escalation');
        e.audit(
          'system',
          'review escalated to review leads',
          `no decision within ${policy.review.escalateAfter}`,
        );
        e.mail.send('review-escalated', 'review-escalated', 'review-leads');
      },
    },
    {
      clock: overdue,
      firstAt: start + every(policy.review.overdueAfter),
      every: every(policy.review.overdueRepeatEvery),
      fire: (n) => {
        metrics.reminder('overdue');
        e.audit('system', 'review overdue: operators told', `waiting ${waitingDays()} days`);
        e.mail.send(`review-overdue-${n}`, 'review-overdue', 'operators', { waitingDays: waitingDays() });
      },
    },
    {
      clock: applicantUpdates,
      firstAt: start + every(policy.review.applicantUpdateEvery),
      every: every(policy.review.applicantUpdateEvery),
      fire: (n) => {
        e.audit('system', 'applicant told the review goes on', `waiting ${waitingDays()} days`);
        e.mail.send(`review-in-progress-${n}`, 'review-in-progress', 'applicant', {
          waitingDays: waitingDays(),
        });
      },
    },
  ];
}

async function runCreditCheck(e: Enrollment): Promise<void> {
  const { status } = e;
  const state = status.review;
  let report;
  try {
    report = await inStep(e, 'runCreditCheck', () =>
      withSummary(
        'runCreditCheck',
        'Credit (solvency) check',
      )({
        ...e.scope,
        companyName: status.companyName,
        registrationNumber: e.request.organization.registrationNumber,
      }),
    );
  } catch (error) {
    const failure = businessFailure(error, 'CreditDeclined');
    if (!failure) throw error;
    // The bureau's reason is credit data: staff read it here and in `endReason`, the applicant not.
    e.audit('system', 'credit check declined', failure.message, 'refused');
    throw new Ended('rejected', failure.message, {}, CREDIT_DECLINED_FOR_APPLICANT);
  }
  state.credit = {
    decision: report.decision,
    score: report.score,
    riskBand: report.riskBand,
    reportReference: report.reportReference,
    ...(report.registeredName ? { registeredName: report.registeredName } : {}),
  };
  state.approvalsNeeded = report.riskBand === 'high' ? 2 : 1;
  state.flags = reviewFlags({
    organizationName: status.companyName,
    legalName: status.application?.businessProfile.legalName,
    registeredName: report.registeredName,
    riskBand: report.riskBand,
  });
  upsertSearchAttributes([{ key: searchAttributes.creditRisk, value: report.riskBand }]);
  e.audit(
    'system',
    'credit check done',
    `risk ${report.riskBand}, score ${report.score}${report.riskBand === 'high' ? '; two reviewers must approve' : ''}`,
  );
}

/** The reviewer asked; the applicant answers within the policy's time. Reviewers' clock stops meanwhile. */
async function askApplicant(e: Enrollment, resumed: boolean): Promise<void> {
  const { status, pending, policy } = e;
  const question = pending.question!;
  const asked = status.review.informationRequests.length;
  if (!resumed) {
    const deadline = Date.now() + durationMs(policy.review.informationDue);
    e.enterStage('information-requested', deadline);
    e.mail.send(`information-requested-${asked}`, 'information-requested', 'applicant', {
      question: question.question,
      ...(question.documentRequested ? { documentRequested: question.documentRequested } : {}),
      dueAt: iso(deadline),
    });
  }
  const answered = await e.applicantWait(
    `information-${asked}`,
    'Wait for the applicant’s answer',
    () => !!question.answer,
    e.stageDeadline,
  );
  if (!answered) throw new Ended('expired', 'the requested information was not provided in time');
  pending.question = undefined;
  const paused = Math.max(0, Date.now() - Date.parse(question.askedAt));
  status.review.pausedMs = (status.review.pausedMs ?? 0) + paused;
  for (const key of CLOCKS) {
    const clock = e.reminderClock(key);
    if (clock.nextAt !== undefined) clock.nextAt += paused;
  }
}

/** The approver's subject, whatever role they acted in ("reviewer:x" and "review-lead:x" are one person). */
const subjectOf = (reviewer: string) => reviewer.slice(reviewer.indexOf(':') + 1);

export function registerReviewActions(e: Enrollment): void {
  const { status, pending } = e;
  const { stageIs, applicantOnly } = rules(e);
  const state = status.review;
  const approvedBy = (id: string) => state.approvals.some((approval) => subjectOf(approval.reviewer) === id);
  const owner = (id: string) =>
    status.owner !== undefined && status.owner === id ? 'the enrollment’s owner cannot review it' : undefined;
  const decider = (actor: Actor) =>
    actor.role === 'reviewer' || actor.role === 'review-lead'
      ? undefined
      : `a ${actor.role} cannot decide a review`;

  /** Sets or clears who holds the review, in the status and in the search attribute. */
  function assign(holder: string | undefined, assignedBy?: string): void {
    state.assignee = holder ? { holder, since: iso(), ...(assignedBy ? { assignedBy } : {}) } : undefined;
    upsertSearchAttributes([
      { key: searchAttributes.reviewAssignee, value: holder ?? null },
      { key: searchAttributes.reviewHeldSince, value: holder ? epochSeconds() : null },
    ]);
  }

  defineAction(e, 'decideReview', actions.decideReview, {
    schema: DecideReview,
    refusal: (input) => {
      const { actor } = input;
      const holder = state.assignee?.holder;
      return (
        stageIs('review') ??
        decider(actor) ??
        owner(actor.id) ??
        (!state.credit ? 'the credit check has not finished yet' : undefined) ??
        (pending.reviewOutcome || pending.question ? 'a decision is already being processed' : undefined) ??
        (actor.role === 'reviewer' && holder !== who(actor)
          ? holder
            ? `the review is held by ${holder}`
            : 'claim the review before deciding it'
          : undefined) ??
        (input.decision === 'approve' && approvedBy(actor.id)
          ? `${actor.id} already approved; a second, different person must approve (four eyes)`
          : undefined)
      );
    },
    apply: (input) => {
      const actor = who(input.actor);
      metrics.decision(input.decision);
      if (input.decision === 'approve') {
        state.approvals.push({
          reviewer: actor,
          at: iso(),
          ...(input.comment ? { comment: input.comment } : {}),
          ...(input.comment && input.shareCommentWithApplicant ? { shared: true } : {}),
        });
        const missing = state.approvalsNeeded - state.approvals.length;
        e.audit(
          actor,
          'approved',
          missing > 0 ? `${missing} more approval needed (high credit risk)` : input.comment,
        );
        if (missing > 0) {
          assign(undefined); // four eyes: the next approval comes from someone else, who claims it
          return `approval recorded; ${missing} more approval needed`;
        }
        pending.reviewOutcome = { decision: 'approved' };
        // The reviewer's answer shows the agreement stage; earlier runs entered it after the answer.
        if (follows(AGREEMENT_STAGE_IN_DECISION)) openAgreementStage(e);
        return 'application approved';
      }
      if (input.decision === 'reject') {
        pending.reviewOutcome = { decision: 'rejected', reason: input.reason };
        e.audit(actor, 'rejected', input.reason);
        return 'application rejected';
      }
      const question = {
        question: input.reason,
        ...(input.documentRequested ? { documentRequested: input.documentRequested } : {}),
        askedBy: actor,
        askedAt: iso(),
      };
      state.informationRequests.push(question);
      pending.question = question;
      e.audit(actor, 'information requested', input.reason);
      return 'information requested from the applicant';
    },
  });

  /** The reviewer asked for a document: the answer comes with at least one. */
  const documentStillMissing = () => {
    const question = pending.question;
    if (!question?.documentRequested) return undefined;
    const attached = answerDocuments(e, state.informationRequests.indexOf(question)).length > 0;
    return attached ? undefined : `attach the requested document first (${question.documentRequested})`;
  };

  defineAction(e, 'answerInformationRequest', actions.answerInformationRequest, {
    schema: AnswerInformationRequest,
    refusal: ({ actor }) =>
      stageIs('information-requested') ??
      applicantOnly(actor) ??
      (pending.question?.answer ? 'the question was already answered' : undefined) ??
      documentStillMissing(),
    apply: ({ actor, answer }) => {
      const question = pending.question!;
      question.answer = answer;
      question.answeredAt = iso();
      question.answeredBy = who(actor);
      e.audit(who(actor), 'information provided', `answer to "${question.question.slice(0, 80)}"`);
      return 'answer received; the review resumes';
    },
  });

  defineAction(e, 'claimReview', actions.claimReview, {
    schema: ClaimReview,
    refusal: ({ actor }) => {
      const holder = state.assignee?.holder;
      return (
        stageIs('review', 'information-requested') ??
        decider(actor) ??
        owner(actor.id) ??
        (holder === who(actor) ? 'you already hold this review' : undefined) ??
        (holder ? `the review is held by ${holder} since ${state.assignee?.since}` : undefined) ??
        (approvedBy(actor.id)
          ? 'you already approved; a different person must take the second approval'
          : undefined)
      );
    },
    apply: ({ actor }) => {
      assign(who(actor));
      e.audit(who(actor), 'review claimed');
      return 'review claimed';
    },
  });

  defineAction(e, 'releaseReview', actions.releaseReview, {
    schema: ReleaseReview,
    refusal: ({ actor }) => {
      const holder = state.assignee?.holder;
      return (
        stageIs('review', 'information-requested') ??
        (!holder ? 'nobody holds the review' : undefined) ??
        (holder !== who(actor) && actor.role !== 'review-lead'
          ? `only ${holder} or a review lead can release it`
          : undefined)
      );
    },
    apply: ({ actor }) => {
      const holder = state.assignee?.holder;
      assign(undefined);
      e.audit(who(actor), 'review released', holder === who(actor) ? undefined : `was held by ${holder}`);
      return 'review released';
    },
  });

  defineAction(e, 'reassignReview', actions.reassignReview, {
    schema: ReassignReview,
    refusal: ({ actor, to }) =>
      stageIs('review', 'information-requested') ??
      (actor.role === 'review-lead' ? undefined : 'only a review lead can reassign a review') ??
      owner(to.id) ??
      (approvedBy(to.id) ? `${to.id} already approved; four eyes needs someone else` : undefined),
    apply: ({ actor, to }) => {
      const previous = state.assignee?.holder;
      assign(who(to), who(actor));
      e.audit(who(actor), 'review reassigned', `to ${who(to)}${previous ? ` (was ${previous})` : ''}`);
      return `review assigned to ${who(to)}`;
    },
  });
}
