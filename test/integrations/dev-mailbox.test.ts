/** The dev mailbox's web page and JSON API, and its store file surviving a restart. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevMailbox, type StoredMessage } from '../../src/stand-ins/mailbox/mailbox';
import { createMailer } from '../../src/integrations/mail/mailer';

const timeouts = { connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 2000 };
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-mailbox-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('lists and shows messages, escaped, and keeps them across a restart', async () => {
  const storeFile = path.join(dir, 'mail.jsonl');
  const first = await startDevMailbox({ port: 0, httpPort: 0, storeFile });
  const mailer = createMailer({
    host: '127.0.0.1',
    port: first.smtpPort,
    from: 'csp@csp-enrollment.local',
    ...timeouts,
  });
  try {
    const { messageId } = await mailer.send('enrollment-1', {
      key: 'application-received',
      template: 'application-received',
      to: ['wei.zhang@yunfan.example.cn'],
      locale: 'en-US',
      params: { companyName: '<b>Yunfan</b>', enrollmentId: 'enrollment-1' },
    });
    await first.waitForMessage((m) => m.messageId === messageId);

    const api = (await (await fetch(`${first.httpUrl}/api/messages`)).json()) as StoredMessage[];
    expect(api).toHaveLength(1);
    expect(api[0]).toMatchObject({ messageId, to: ['wei.zhang@yunfan.example.cn'] });

    const list = await fetch(`${first.httpUrl}/`);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listHtml = await list.text();
    expect(listHtml).toContain('&lt;b&gt;Yunfan&lt;/b&gt;');
    expect(listHtml).toContain('&lt;application-received.enrollment-1@csp-enrollment.local&gt;');

    const page = await (await fetch(`${first.httpUrl}/messages/${api[0].id}`)).text();
    expect(page).toContain('<iframe sandbox=""');
    expect(page).not.toContain('<b>Yunfan');
  } finally {
    mailer.close();
    await first.close();
  }

  const second = await startDevMailbox({ port: 0, storeFile });
  try {
    expect(second.messages().map((m) => m.subject)).toEqual([
      '[21Vianet CSP] We received the CSP application of <b>Yunfan</b>',
    ]);
  } finally {
    await second.close();
  }
});
