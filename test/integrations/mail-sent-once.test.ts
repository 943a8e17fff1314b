/**
 * Each email once (src/integrations/mail/sent-once.ts), through a real SMTP server on loopback: a
 * send of a Message-ID the server already accepted is answered from the log, across a restart of
 * the worker (a new log over the same folder); a refused send leaves no trace, so its retry goes
 * out; another attempt of the enrollment has its own Message-IDs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guideLinks } from '../../src/domain/links';
import type { Notification } from '../../src/domain/notifications';
import { createMailer, type Mailer } from '../../src/integrations/mail/mailer';
import { SentLog, sendingOnce } from '../../src/integrations/mail/sent-once';
import { startDevMailbox, type DevMailbox } from '../../src/stand-ins/mailbox/mailbox';

const ENROLLMENT = 'enrollment-91310000MA1FL8XQ3B';

let mailbox: DevMailbox;
let smtp: Mailer;
let dir: string;
const warnings: string[] = [];
const warn = (message: string) => warnings.push(message);

beforeAll(async () => {
  mailbox = await startDevMailbox({ port: 0 });
  smtp = createMailer({
    host: '127.0.0.1',
    port: mailbox.smtpPort,
    from: 'CSP <no-reply@csp-enrollment.local>',
    connectionTimeoutMs: 2000,
    greetingTimeoutMs: 2000,
    socketTimeoutMs: 2000,
  });
});
afterAll(async () => {
  smtp.close();
  await mailbox.close();
});
beforeEach(() => {
  mailbox.clear();
  warnings.length = 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-sent-once-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const approved = (key = 'approved'): Notification => ({
  key,
  template: 'approved',
  to: ['wei.zhang@yunfan.example.cn'],
  locale: 'en-US',
  params: {
    companyName: 'Shanghai Yunfan Technology',
    enrollmentId: ENROLLMENT,
    recipientName: 'Wei Zhang',
    links: guideLinks({}),
  },
});

/** Lets the SMTP server's last message land before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

it('sends a Message-ID once, also after the worker restarted', async () => {
  const first = await sendingOnce(smtp, new SentLog(dir), warn).send(ENROLLMENT, approved(), 'attempt-1');
  await mailbox.waitForMessage((m) => m.messageId === first.messageId);
  expect(first).toEqual({
    messageId: '<approved.enrollment-91310000MA1FL8XQ3B.attempt-1@csp-enrollment.local>',
  });

  // The activity retried (its completion lost), here by a worker started afresh on the same disk.
  const again = await sendingOnce(smtp, new SentLog(dir), warn).send(ENROLLMENT, approved(), 'attempt-1');
  expect(again).toEqual({ messageId: first.messageId, alreadySent: true });
  await settle();
  expect(mailbox.messages().filter((m) => m.messageId === first.messageId)).toHaveLength(1);
});

it('keeps no trace of a refused send: its retry goes out', async () => {
  const mail = sendingOnce(smtp, new SentLog(dir), warn);
  mailbox.failNext(1, 451, 'try again later');
  await expect(mail.send(ENROLLMENT, approved(), 'attempt-1')).rejects.toThrow(/451/);
  const retried = await mail.send(ENROLLMENT, approved(), 'attempt-1');
  expect(retried.alreadySent).toBeUndefined();
  await mailbox.waitForMessage((m) => m.messageId === retried.messageId);
});

it('sends again for another attempt of the enrollment, and for another moment', async () => {
  const mail = sendingOnce(smtp, new SentLog(dir), warn);
  const sent = [
    await mail.send(ENROLLMENT, approved(), 'attempt-1'),
    await mail.send(ENROLLMENT, approved(), 'attempt-2'),
    await mail.send(ENROLLMENT, approved('approved-2'), 'attempt-2'),
  ];
  expect(sent.every((s) => !('alreadySent' in s))).toBe(true);
  expect(new Set(sent.map((s) => s.messageId)).size).toBe(3);
  for (const { messageId } of sent) await mailbox.waitForMessage((m) => m.messageId === messageId);
});

it('refuses an enrollment ID that could name a file outside its folder, as not retryable', async () => {
  const mail = sendingOnce(smtp, new SentLog(dir), warn);
  await expect(mail.send('../elsewhere', approved(), 'attempt-1')).rejects.toMatchObject({
    name: 'UnusableId',
    retryable: false,
  });
  await settle();
  expect(mailbox.messages()).toHaveLength(0);
});

it('sends at least once when the log cannot be kept, and says so', async () => {
  // A file where the log's folder should be: nothing can be read or written under it.
  const blocked = path.join(dir, 'not-a-folder');
  fs.writeFileSync(blocked, '');
  const mail = sendingOnce(smtp, new SentLog(blocked), warn);
  const first = await mail.send(ENROLLMENT, approved(), 'attempt-1');
  const again = await mail.send(ENROLLMENT, approved(), 'attempt-1');
  expect(again).toEqual({ messageId: first.messageId });
  await mailbox.waitForMessage((m) => m.messageId === first.messageId && !!m.duplicate);
  expect(warnings.some((w) => /could not read it/.test(w))).toBe(true);
  expect(warnings.some((w) => /could not record a send/.test(w))).toBe(true);
});
