/** Every template in every locale: renders, escapes every value in HTML, and refuses missing essentials. */
import { LOCALES, NOTIFICATION_TEMPLATES, type NotificationParams } from '../../src/domain/notifications';
import { renderNotification, TemplateError } from '../../src/integrations/mail/templates';

const HOSTILE = '<img src=x onerror=alert(1)>';
const full: NotificationParams = {
  companyName: `Yunfan ${HOSTILE}`,
  enrollmentId: 'enrollment-91310000MA1FL8XQ3B',
  recipientName: `Wei ${HOSTILE}`,
  signInName: 'admin@yunfan.partner.onmschina.cn',
  signInUrl: 'https://portal.partner.microsoftonline.cn/?a=1&b=2',
  question: `Please send the business licence ${HOSTILE}`,
  reason: `Insufficient documents ${HOSTILE}`,
  joinUrl: 'https://partner.microsoftonline.cn/mpn/join',
  dueAt: '2025-03-01T10:00:00Z',
  agreementVersion: '2025-01-CN',
};

describe.each(LOCALES)('%s', (locale) => {
  it.each(NOTIFICATION_TEMPLATES)('renders %s with every value escaped in HTML', (template) => {
    const message = renderNotification(template, locale, full);
    expect(message.subject).not.toMatch(/undefined|\n/);
    expect(message.text).not.toContain('undefined');
    expect(message.text).toContain(full.enrollmentId);
    expect(message.html).toContain(`<html lang="${locale}">`);
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('gives the sign-in name and URL on account-created, and the deadline in China time', () => {
    const created = renderNotification('account-created', locale, full);
    expect(created.text).toContain(full.signInName);
    expect(created.html).toContain('href="https://portal.partner.microsoftonline.cn/?a=1&amp;b=2"');
    // 10:00 UTC is 18:00 in Shanghai.
    expect(renderNotification('application-reminder', locale, full).text).toMatch(/18:00|6:00\sPM/);
  });
});

it('refuses to render without a required value', () => {
  const { signInName: _omitted, ...rest } = full;
  expect(() => renderNotification('account-created', 'en-US', rest)).toThrow(TemplateError);
});

it('keeps a non-http link inert', () => {
  const html = renderNotification('rejected', 'en-US', { ...full, joinUrl: 'javascript:alert(1)' }).html;
  expect(html).not.toContain('href="javascript');
});
