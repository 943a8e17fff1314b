/**
 * Emails beside the flow: a notification starts its activity and the flow goes on at once, so an
 * SMTP outage never holds up a decision or a stage. What is not yet delivered stays in the outbox
 * (it travels through continue-as-new and is sent again, with the same Message-ID); what failed for
 * good is listed as undelivered until an operator sends it again.
 */
import { ActivityFailure, CancellationScope, condition } from '@temporalio/workflow';
import type { NotificationParams, NotificationTemplate } from '../domain/notifications';
import type { UndeliveredNotification } from '../domain/status';
import type { NotificationRequest } from '../activities';
import { withSummary } from './activities';
import type { Enrollment } from './context';
import { follows } from './edition';

export type Audience = UndeliveredNotification['to'];

/** Since this patch, undelivered emails are not re-sent by a continued run on its own. */
const OUTBOX_KEEPS_UNDELIVERED = 'outbox-keeps-undelivered';

export interface OutboxEntry {
  template: NotificationTemplate;
  to: Audience;
  params: Partial<NotificationParams>;
}

export class Mail {
  private readonly inFlight = new Set<string>();

  constructor(private readonly e: Enrollment) {}

  /** The status shows what is on its way, so readers (and tests) know when the emails settled. */
  private track(key: string, sending: boolean): void {
    if (sending) this.inFlight.add(key);
    else this.inFlight.delete(key);
    this.e.status.emailsInFlight = [...this.inFlight];
  }

  /** Starts sending; never waits. `key` is unique per enrollment and moment (it names the Message-ID). */
  send(key: string, template: NotificationTemplate, to: Audience, params: Partial<NotificationParams> = {}) {
    const outbox = (this.e.pending.outbox ??= {});
    outbox[key] = { template, to, params };
    this.start(key);
  }

  /**
   * After continue-as-new: what the last run had on its way goes out again. An email listed as
   * undelivered stays for an operator to re-send: sent here, it would leave its listing behind (a
   * re-send then sending nothing). Runs that continued before this rule re-sent those too, and
   * replay that way.
   */
  resumeOutbox(): void {
    const keys = Object.keys(this.e.pending.outbox ?? {});
    const holdUndelivered = keys.some((key) => this.isUndelivered(key)) && follows(OUTBOX_KEEPS_UNDELIVERED);
    for (const key of keys) if (!(holdUndelivered && this.isUndelivered(key))) this.start(key);
  }

  /** An operator's re-send of an undelivered email; false when there is none with that key. */
  resend(key: string): boolean {
    const { status } = this.e;
    const undelivered = status.undelivered?.find((entry) => entry.key === key);
    if (!undelivered || !this.e.pending.outbox?.[key]) return false;
    status.undelivered = status.undelivered?.filter((entry) => entry.key !== key);
    this.start(key);
    return true;
  }

  isUndelivered(key: string): boolean {
    return !!this.e.status.undelivered?.some((entry) => entry.key === key);
  }

  /** Nothing is on its way. */
  idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Waits until nothing is in flight, at most `timeoutMs`; true when all settled. */
  settled(timeoutMs?: number): Promise<boolean> {
    const idle = () => this.inFlight.size === 0;
    return timeoutMs === undefined ? condition(idle).then(() => true) : condition(idle, timeoutMs);
  }

  private start(key: string): void {
    const entry = this.e.pending.outbox?.[key];
    if (!entry || this.inFlight.has(key)) return;
    this.track(key, true);
    const { e } = this;
    const notification: NotificationRequest = {
      key,
      template: entry.template,
      to: entry.to === 'applicant' ? [e.admin.email] : entry.to,
      locale: e.request.locale,
      params: {
        companyName: e.status.companyName,
        enrollmentId: e.id,
        ...(entry.to === 'applicant' ? { recipientName: e.adminName } : {}),
        ...entry.params,
      },
    };
    // Not cancellable: a withdrawal stops the flow, not the emails already on their way. Not
    // awaited: emails go beside the flow, and their outcome is tracked below.
    void CancellationScope.nonCancellable(() =>
      withSummary('sendNotification', `Email: ${entry.template}`)({ ...e.scope, notification }),
    ).then(
      () => {
        this.track(key, false);
        delete e.pending.outbox?.[key];
        // Delivered: whatever listing it had is settled (a listing left behind would offer a re-send).
        if (this.isUndelivered(key))
          e.status.undelivered = e.status.undelivered?.filter((u) => u.key !== key);
        e.audit(
          'system',
          `email ${entry.template} sent`,
          entry.to === 'applicant' ? 'to the applicant' : `to ${entry.to}`,
        );
      },
      (error: unknown) => {
        this.track(key, false);
        const reason =
          error instanceof ActivityFailure ? (error.cause?.message ?? error.message) : String(error);
        // Listed once, however often it failed: a re-send that fails again updates its listing.
        const others = (e.status.undelivered ?? []).filter((u) => u.key !== key);
        e.status.undelivered = [
          ...others,
          { key, template: entry.template, to: entry.to, reason, at: new Date().toISOString() },
        ];
        e.audit('system', `email ${entry.template} undelivered`, reason, 'refused');
      },
    );
  }
}
