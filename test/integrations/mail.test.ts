/**
 * The mailer through a real SMTP server on loopback (the dev mailbox): what arrives, in each
 * locale, under a deterministic Message-ID, and how SMTP refusals are classified for retries.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { guideLinks } from '../../src/domain/links';
import type { Locale, Notification } from '../../src/domain/notifications';
import { startDevMailbox, type DevMailbox } from '../../src/stand-ins/mailbox/mailbox';
import { createMailer, MailDeliveryError, type Mailer } from '../../src/integrations/mail/mailer';

let mailbox: DevMailbox;
let mailer: Mailer;
const timeouts = { connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 2000 };

beforeAll(async () => {
  mailbox = await startDevMailbox({ port: 0 });
  mailer = createMailer({
    host: '127.0.0.1',
    port: mailbox.smtpPort,
    from: 'CSP <no-reply@csp-enrollment.local>',
    ...timeouts,
  });
});
afterAll(async () => {
  mailer.close();
  await mailbox.close();
});
beforeEach(() => mailbox.clear());

function accountCreated(locale: Locale, key = 'account-created'): Notification {
  return {
    key,
    template: 'account-created',
    to: ['wei.zhang@yunfan.example.cn', 'li.na@yunfan.example.cn'],
    locale,
    params: {
      companyName: 'Shanghai Yunfan Technology',
      enrollmentId: 'enrollment-91310000MA1FL8XQ3B',
      recipientName: 'Wei Zhang',
      signInName: 'admin@yunfan.partner.onmschina.cn',
      links: guideLinks({ dashboard: 'https://portal.partner.microsoftonline.cn' }),
    },
  };
}

const subjects: Record<Locale, string> = {
  'zh-CN': '【世纪互联 CSP】Shanghai Yunfan Technology 的合作伙伴中心账户已创建',
  'en-US': '[21Vianet CSP] Partner Center account created for Shanghai Yunfan Technology',
  'fr-FR': '[21Vianet CSP] Compte Espace partenaires créé pour Shanghai Yunfan Technology',
};

it.each(['zh-CN', 'en-US', 'fr-FR'] as const)('delivers account-created in %s', async (locale) => {
  const { messageId } = await mailer.send('enrollment-91310000MA1FL8XQ3B', accountCreated(locale), 'run-1');
  // The enrollment attempt is part of it: a later enrollment of the organization has its own.
  expect(messageId).toBe('<account-created.enrollment-91310000MA1FL8XQ3B.run-1@csp-enrollment.local>');
  const received = await mailbox.waitForMessage((m) => m.messageId === messageId);
  expect(received.envelope.to).toEqual(['wei.zhang@yunfan.example.cn', 'li.na@yunfan.example.cn']);
  expect(received.subject).toBe(subjects[locale]);
  expect(received.text).toContain('admin@yunfan.partner.onmschina.cn');
  expect(received.text).toContain('https://portal.partner.microsoftonline.cn');
  expect(received.html).toContain('href="https://portal.partner.microsoftonline.cn"');
});

it('sanitizes the Message-ID from key and enrollment', async () => {
  const { messageId } = await mailer.send('enr 1/<x>', accountCreated('en-US', 'review-reminder-3'));
  expect(messageId).toBe('<review-reminder-3.enr-1--x-@csp-enrollment.local>');
  await mailbox.waitForMessage((m) => m.messageId === messageId);
});

it('classifies a 451 as retryable, and a resend then arrives once', async () => {
  mailbox.failNext(1, 451, 'Mailbox busy, try later');
  const error = await mailer.send('enrollment-1', accountCreated('zh-CN')).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MailDeliveryError);
  expect(error).toMatchObject({ retryable: true, responseCode: 451 });
  expect(mailbox.messages()).toHaveLength(0);

  const { messageId } = await mailer.send('enrollment-1', accountCreated('zh-CN'));
  await mailbox.waitForMessage((m) => m.messageId === messageId);
  expect(mailbox.messages()).toHaveLength(1);
});

it('classifies a 550 as non-retryable with a clear message', async () => {
  mailbox.failNext(1, 550, 'Recipient <wei.zhang@yunfan.example.cn> unknown');
  const error = (await mailer
    .send('enrollment-1', accountCreated('en-US'))
    .catch((e: unknown) => e)) as MailDeliveryError;
  expect(error).toBeInstanceOf(MailDeliveryError);
  expect(error.retryable).toBe(false);
  expect(error.responseCode).toBe(550);
  expect(error.message).toMatch(/permanently rejected.*550/);
  // The server's reply quoted an address; it must not travel on into logs and history.
  expect(error.message).not.toContain('wei.zhang@');
});

it('classifies an unreachable server as retryable', async () => {
  const gone = await startDevMailbox({ port: 0 });
  await gone.close();
  const lost = createMailer({
    host: '127.0.0.1',
    port: gone.smtpPort,
    from: 'csp@csp-enrollment.local',
    ...timeouts,
  });
  await expect(lost.send('enrollment-1', accountCreated('en-US'))).rejects.toMatchObject({ retryable: true });
});

it('escapes a hostile company name in the HTML part', async () => {
  const hostile = accountCreated('en-US', 'hostile');
  hostile.params.companyName = '<script>alert("x")</script> & Co';
  const { messageId } = await mailer.send('enrollment-1', hostile);
  const received = await mailbox.waitForMessage((m) => m.messageId === messageId);
  expect(received.html).not.toContain('<script>');
  expect(received.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
  expect(received.text).toContain('<script>alert("x")</script> & Co');
});

test('messages share a pooled connection instead of opening one each', async () => {
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onConnect: (_session, callback) => {
      connections += 1;
      callback();
    },
    onData: (stream, _session, callback) => {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  const port = await new Promise<number>((resolve) => {
    const listening = server.listen(0, '127.0.0.1', () => resolve((listening.address() as AddressInfo).port));
  });
  const pooled = createMailer({ host: '127.0.0.1', port, from: 'csp@csp-enrollment.local', ...timeouts });
  try {
    for (const key of ['one', 'two', 'three', 'four'])
      await pooled.send('enrollment-1', accountCreated('en-US', key), 'run-1');
    expect(connections).toBe(1);
  } finally {
    pooled.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
