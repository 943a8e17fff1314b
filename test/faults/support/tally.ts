/**
 * The figures of a fault run, from what the outside world saw: the simulator's ledger (what was
 * really created) and the mailbox (what was really delivered, and how often).
 */
import type { StoredMessage } from '../../../src/stand-ins/mailbox/mailbox';
import { messageIdFor } from '../../../src/integrations/mail/mailer';
import type { Simulator } from '../../../src/stand-ins/simulator';
import type { Outcome } from './play';

/** The mails of a happy path, by notification key. */
const HAPPY_PATH_MAILS = [
  'account-created',
  'application-received',
  'approved',
  'account-ready',
  'completed',
];

export interface Figures {
  fault: string;
  enrollments: number;
  completed: number;
  lost: number;
  duplicates: {
    accounts: number;
    agreements: number;
    provisioning: number;
    creditChecks: number;
    sms: number;
  };
  duplicateEmails: number;
  lostEmails: number;
  /** Why enrollments were lost, for the failure message. */
  errors: string[];
}

export function tally(
  fault: string,
  outcomes: Outcome[],
  simulator: Simulator,
  messages: StoredMessage[],
  smsPerEnrollment: number,
): Figures {
  const n = outcomes.length;
  const created = simulator.ledger.creationCounts();
  // Each enrollment creates each thing once; anything above that is a duplicate side effect.
  const extra = (operation: string, expected = n) => Math.max(0, (created[operation] ?? 0) - expected);
  const completed = outcomes.filter((o) => o.endState === 'completed').length;
  const ids = outcomes.flatMap((o) => (o.enrollment.handle ? [o.enrollment.handle.workflowId] : []));
  // Message-IDs end with the enrollment attempt (messageIdFor): match on key and enrollment.
  const delivered = messages.map((m) => m.messageId);
  const expectedMails = ids.flatMap((id) =>
    HAPPY_PATH_MAILS.map((key) => messageIdFor(id, key).replace(/@.*$/, '.')),
  );
  return {
    fault,
    enrollments: n,
    completed,
    lost: n - completed,
    duplicates: {
      accounts: extra('createWorkAccount') + extra('createPartnerAccount'),
      agreements: extra('recordAgreementAcceptance'),
      provisioning: extra('startProvisioning'),
      creditChecks: extra('checkSolvency'),
      sms: extra('startVerification', n * smsPerEnrollment),
    },
    duplicateEmails: messages.filter((m) => m.duplicate).length,
    lostEmails: expectedMails.filter((prefix) => !delivered.some((id) => id.startsWith(prefix))).length,
    errors: outcomes.flatMap((o) =>
      o.endState === 'completed' ? [] : [`#${o.enrollment.index}: ${o.error ?? o.endState}`],
    ),
  };
}

export const duplicateSideEffects = (f: Figures) => Object.values(f.duplicates).reduce((a, b) => a + b, 0);

/** The one line a fault prints; written straight to stdout so CI logs show it. */
export function report(figures: Figures, detail = ''): void {
  const d = figures.duplicates;
  process.stdout.write(
    `fault ${figures.fault}: enrollments ${figures.enrollments}, completed ${figures.completed}, ` +
      `lost ${figures.lost}, duplicate side effects ${duplicateSideEffects(figures)} ` +
      `(accounts ${d.accounts}, agreements ${d.agreements}, provisioning ${d.provisioning}, ` +
      `credit checks ${d.creditChecks}, sms ${d.sms}), duplicate emails ${figures.duplicateEmails}, ` +
      `lost emails ${figures.lostEmails}${detail ? `; ${detail}` : ''}\n`,
  );
}

/** The assertions every fault shares: nothing lost, nothing created twice. */
export function expectNothingLostOrDoubled(figures: Figures): void {
  expect(figures.errors).toEqual([]);
  expect(figures.lost).toBe(0);
  expect(figures.duplicates).toEqual({
    accounts: 0,
    agreements: 0,
    provisioning: 0,
    creditChecks: 0,
    sms: 0,
  });
  expect(figures.lostEmails).toBe(0);
}
