/**
 * One enrollment's state inside the workflow and what every stage does with it: record an audit
 * entry, enter a stage, wait for the applicant, tell someone by email. Stages (./stages) take this
 * object; it is the only mutable state of a run, and what continues into the next run.
 */
import {
  CancellationScope,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { EnrollmentRequest, Policy } from '../domain/enrollment';
import { durationMs } from '../domain/enrollment';
import type { NotificationParams, NotificationTemplate } from '../domain/notifications';
import type { AuditEntry, EnrollmentStatus, InformationRequest, Stage } from '../domain/status';
import { searchAttributes } from './definitions';
import { metrics } from './metrics';
import { AuditTrail, type AuditProgress } from './audit-trail';
import { Mail, type OutboxEntry } from './mail';
import { waitFor, type ReminderClock } from './waiting';

/** Decisions and requests handed from action handlers to the flow. */
export interface Pending {
  verificationId?: string;
  reviewOutcome?: { decision: 'approved' } | { decision: 'rejected'; reason: string };
  question?: InformationRequest;
  withdrawal?: { by: string; reason: string };
  /** Set when the applicant corrected the account details the flow waits on. */
  accountCorrected?: boolean;
  /** An operator's answer to the open incident. */
  incidentAction?: { action: 'retry' | 'end'; by: string; reason: string };
  /** Emails started and not yet delivered, by key; re-sent after continue-as-new. */
  outbox?: Record<string, OutboxEntry>;
  /** How far the audit trail got: entries numbered, and written to the durable log. */
  auditLog?: AuditProgress;
}

export interface Clock {
  applicationDeadline: number;
  reminders: Record<string, ReminderClock>;
}

/** What an enrollment carries into its next run when it continues as new. */
export interface Resume {
  status: EnrollmentStatus;
  pending: Pending;
  clock: Clock;
}

const iso = (ms: number = Date.now()) => new Date(ms).toISOString();

/** Int search attributes hold whole seconds. */
export const epochSeconds = (ms: number = Date.now()) => Math.floor(ms / 1000);

export class Enrollment {
  readonly id = workflowInfo().workflowId;
  readonly policy: Policy;
  /** The flow's scope: withdrawal cancels it, and with it whatever step was running. */
  readonly flow = new CancellationScope();
  readonly mail: Mail;
  readonly trail: AuditTrail;
  /** Bumped when an operator moves a deadline, so the wait under way recomputes its timer. */
  deadlineVersion = 0;

  constructor(
    readonly request: EnrollmentRequest,
    readonly status: EnrollmentStatus,
    readonly pending: Pending,
    readonly clock: Clock,
    /** Whether this run writes its audit trail to the durable log (see ./audit-trail). */
    durableAudit = false,
  ) {
    this.policy = request.policy;
    this.mail = new Mail(this);
    this.trail = new AuditTrail(this, durableAudit);
  }

  /** The attempt every idempotency key and Message-ID of this enrollment is scoped to. */
  get attemptId(): string {
    return this.status.attemptId ?? this.id;
  }

  /** Who an activity works for. */
  get scope() {
    return { enrollmentId: this.id, attemptId: this.attemptId };
  }

  /** The global admin the applicant named (or corrected to): whom emails address. */
  get admin() {
    return this.status.globalAdmin ?? this.request.globalAdmin;
  }

  get adminName(): string {
    return `${this.admin.firstName} ${this.admin.lastName}`;
  }

  audit(actor: string, action: string, detail?: string, outcome: AuditEntry['outcome'] = 'done'): void {
    this.trail.record({ at: iso(), actor, action, outcome, ...(detail ? { detail } : {}) });
  }

  /** For every wait's plan: the audit trail writes while the flow waits. */
  readonly onWait = (waiting: boolean): void => this.trail.flowWaits(waiting);

  /** `also`: more search attributes that change with the stage, in the same upsert. */
  enterStage(stage: Stage, dueAt?: number, also: SearchAttributeUpdatePair[] = []): void {
    metrics.stage(stage);
    this.status.stage = stage;
    this.status.dueAt = dueAt === undefined ? undefined : iso(dueAt);
    upsertSearchAttributes([
      { key: searchAttributes.stage, value: stage },
      { key: searchAttributes.dueAt, value: dueAt === undefined ? null : new Date(dueAt) },
      { key: searchAttributes.stageSince, value: new Date() },
      ...also,
    ]);
    setCurrentDetails(`**Stage:** ${stage}${dueAt === undefined ? '' : `  \n**Due:** ${iso(dueAt)}`}`);
    this.audit('system', `stage ${stage}`, dueAt === undefined ? undefined : `due ${iso(dueAt)}`);
  }

  reminderClock(key: string): ReminderClock {
    return (this.clock.reminders[key] ??= { sent: 0 });
  }

  historyFull(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.policy.history.continueAsNewAfterEvents;
  }

  /**
   * Waits for the applicant until `deadline`, reminding them (by default every
   * `application.reminderEvery`, with the application reminder naming the deadline). Resolves
   * false when the deadline passed.
   */
  applicantWait(
    clockKey: string,
    summary: string,
    done: () => boolean,
    deadline: () => number,
    reminder: { every?: string; template?: NotificationTemplate; params?: Partial<NotificationParams> } = {},
  ): Promise<boolean> {
    const every = durationMs(reminder.every ?? this.policy.application.reminderEvery);
    const template = reminder.template ?? 'application-reminder';
    return waitFor(done, {
      summary,
      deadline,
      version: () => this.deadlineVersion,
      historyFull: () => this.historyFull(),
      onWait: this.onWait,
      alarms: [
        {
          clock: this.reminderClock(clockKey),
          firstAt: Date.now() + every,
          every,
          fire: (n) => {
            this.audit('system', `reminder #${n} to the applicant`, summary);
            metrics.reminder('applicant');
            this.mail.send(`${template}-${clockKey}-${n}`, template, 'applicant', {
              dueAt: iso(deadline()),
              ...reminder.params,
            });
          },
        },
      ],
    });
  }

  /** The deadline of the stage under way, as the status shows it. */
  stageDeadline = (): number => Date.parse(this.status.dueAt!);
}

export { iso };
