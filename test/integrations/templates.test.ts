/**
 * Every template in every locale: renders, escapes every value in HTML, refuses missing
 * essentials, and says what the enrollment guide says, with the guide's links as links.
 */
import { FAILURE_CAUSES, failureReason, type FailureCause } from '../../src/domain/failure-causes';
import { GUIDE_LINKS, guideLinks } from '../../src/domain/links';
import { LOCALES, NOTIFICATION_TEMPLATES, type NotificationParams } from '../../src/domain/notifications';
import { renderNotification, TemplateError } from '../../src/integrations/mail/templates';

const HOSTILE = '<img src=x onerror=alert(1)>';
const full: NotificationParams = {
  companyName: `Yunfan ${HOSTILE}`,
  enrollmentId: 'enrollment-91310000MA1FL8XQ3B',
  recipientName: `Wei ${HOSTILE}`,
  signInName: 'admin@yunfan.partner.onmschina.cn',
  links: guideLinks({ dashboard: 'https://portal.partner.microsoftonline.cn/?a=1&b=2' }),
  caseUrl: 'https://console.example.cn/#enrollment=enrollment-91310000MA1FL8XQ3B',
  question: `Please send the business licence ${HOSTILE}`,
  reason: `Insufficient documents ${HOSTILE}`,
  dueAt: '2025-03-01T10:00:00Z',
  agreementVersion: '2025-01-CN',
  tasksLeft: ['customize-catalog'],
  waitingDays: 23,
  step: 'awaitProvisioning',
};
const href = (url: string) => `href="${url.replace(/&/g, '&amp;')}"`;

/** The guide's words per locale (the French from the guide's own edition). */
const GUIDE_WORDS = {
  'zh-CN': {
    weeks: '数周',
    authorized: '获准在中国转售云解决方案提供商服务',
    agreement: '世纪互联 CSP 经销商协议',
  },
  'en-US': {
    weeks: 'several weeks',
    authorized: 'authorized to resell Cloud Solution Provider services in China',
    agreement: '21Vianet CSP reseller agreement',
  },
  'fr-FR': {
    weeks: 'plusieurs semaines',
    authorized: 'autorisé à revendre des services Cloud Solution Provider en Chine',
    agreement: 'contrat de revendeur CSP 21Vianet',
  },
} as const;

/** A few words of each cause per locale: the part of the guide that could not be done. */
const FAILURE_WORDS: Record<(typeof LOCALES)[number], Record<FailureCause, string>> = {
  'zh-CN': {
    'phone-codes-used-up': '所有验证码均已用完',
    'work-account': '工作账户',
    'phone-verification': '电话验证',
    'partner-account': '未能创建您的合作伙伴中心账户',
    application: '申请',
    'credit-check': '信用检查',
    agreement: '协议',
    provisioning: '未能配置您的合作伙伴中心账户',
    'getting-started': '入门任务',
    technical: '注册无法继续',
  },
  'en-US': {
    'phone-codes-used-up': 'every verification code was used',
    'work-account': 'work account',
    'phone-verification': 'phone verification',
    'partner-account': 'Partner Center account could not be created',
    application: 'application',
    'credit-check': 'credit check',
    agreement: 'agreement',
    provisioning: 'Partner Center account could not be configured',
    'getting-started': 'getting-started tasks',
    technical: 'could not go on',
  },
  'fr-FR': {
    'phone-codes-used-up': 'tous les codes de vérification ont été utilisés',
    'work-account': 'compte professionnel',
    'phone-verification': 'vérification par téléphone',
    'partner-account': 'compte Espace partenaires n’a pas pu être créé',
    application: 'demande',
    'credit-check': 'solvabilité',
    agreement: 'contrat',
    provisioning: 'compte Espace partenaires n’a pas pu être configuré',
    'getting-started': 'prise en main',
    technical: 'n’a pas pu se poursuivre',
  },
};

describe.each(LOCALES)('%s', (locale) => {
  const words = GUIDE_WORDS[locale];

  it.each(NOTIFICATION_TEMPLATES)('renders %s with every value escaped in HTML', (template) => {
    const message = renderNotification(template, locale, full);
    expect(message.subject).not.toMatch(/undefined|\n/);
    expect(message.text).not.toContain('undefined');
    expect(message.text).toContain(full.enrollmentId);
    expect(message.html).toContain(`<html lang="${locale}">`);
    expect(message.html).not.toContain('<img');
  });

  it('gives the sign-in name and Partner Center on account-created, and the deadline in China time', () => {
    const created = renderNotification('account-created', locale, full);
    expect(created.text).toContain(full.signInName);
    expect(created.html).toContain(href(full.links!.dashboard));
    // 10:00 UTC is 18:00 in Shanghai.
    expect(renderNotification('application-reminder', locale, full).text).toMatch(/18:00|6:00\sPM/);
  });

  it('says the review may take several weeks, and the approval authorizes reselling CSP services in China', () => {
    expect(renderNotification('application-received', locale, full).text).toContain(words.weeks);
    const approved = renderNotification('approved', locale, full);
    expect(approved.subject + approved.text).toContain(words.authorized);
    expect(approved.text).toContain(words.agreement);
    expect(approved.html).toContain(href(full.links!.dashboard));
    expect(renderNotification('agreement-reminder', locale, full).text).toContain(words.agreement);
  });

  it('gives a non-member the partner network join link, as a link', () => {
    const rejected = renderNotification('rejected', locale, {
      ...full,
      links: GUIDE_LINKS,
      notAMember: true,
    });
    expect(rejected.html).toContain(href(GUIDE_LINKS.mpnJoin));
  });

  it.each(['rejected', 'withdrawn', 'expired', 'failed'] as const)(
    'tells the applicant what happened and what they can do when the enrollment ends %s',
    (template) => {
      const message = renderNotification(template, locale, { ...full, links: GUIDE_LINKS });
      expect(message.text).toContain('Insufficient documents');
      expect(message.html).toContain(href(GUIDE_LINKS.enrollment));
    },
  );

  it.each(FAILURE_CAUSES)(
    'tells the applicant in plain words what failed (%s), never the technical detail, and what they can do',
    (failure) => {
      const message = renderNotification('failed', locale, {
        ...full,
        // What the workflow passes: the cause, the plain English end reason, an operator's note.
        failure,
        reason: failureReason(failure),
        note: 'Partner Center is under maintenance until Monday',
      });
      expect(message.text).toContain(FAILURE_WORDS[locale][failure]);
      expect(message.text).toContain('Partner Center is under maintenance until Monday');
      expect(message.html).toContain(href(GUIDE_LINKS.enrollment));
      // The English end reason is for the status; the email says it in the applicant's language.
      if (locale !== 'en-US') expect(message.text).not.toContain(failureReason(failure));
    },
  );

  it('lists the getting-started tasks left and the next tasks, with the guide’s links', () => {
    const reminder = renderNotification('getting-started-reminder', locale, { ...full, links: GUIDE_LINKS });
    expect(reminder.html).toContain(href(GUIDE_LINKS.tasks['customize-catalog']));
    expect(reminder.html).not.toContain(href(GUIDE_LINKS.tasks['verify-profiles']));
    for (const url of Object.values(GUIDE_LINKS.next)) expect(reminder.html).toContain(href(url));
    const ready = renderNotification('account-ready', locale, {
      ...full,
      links: GUIDE_LINKS,
      tasksLeft: undefined,
    });
    for (const url of Object.values(GUIDE_LINKS.tasks)) expect(ready.html).toContain(href(url));
  });

  it('links reviewers to the case', () => {
    for (const template of ['review-reminder', 'review-escalated', 'review-overdue'] as const)
      expect(renderNotification(template, locale, full).html).toContain(href(full.caseUrl!));
  });
});

it('uses the guide’s addresses unless configured otherwise', () => {
  expect(GUIDE_LINKS.dashboard).toBe(
    'https://partner.partnercenter.microsoftonline.cn/pcv/dashboard/overview',
  );
  expect(GUIDE_LINKS.enrollment).toBe(
    'https://partner.partnercenter.microsoftonline.cn/register/resellercnjoinnow',
  );
  expect(GUIDE_LINKS.mpnJoin).toBe('https://partners.microsoft.com/PartnerProgram/simplifiedenrollment.aspx');
  const message = renderNotification('approved', 'en-US', { companyName: 'Yunfan', enrollmentId: 'e-1' });
  expect(message.html).toContain(href(GUIDE_LINKS.dashboard));
});

it('refuses to render without a required value', () => {
  const { signInName: _omitted, ...rest } = full;
  expect(() => renderNotification('account-created', 'en-US', rest)).toThrow(TemplateError);
});

it('keeps a non-http link inert', () => {
  const html = renderNotification('rejected', 'en-US', {
    ...full,
    notAMember: true,
    links: guideLinks({ mpnJoin: 'javascript:alert(1)' }),
  }).html;
  expect(html).not.toContain('href="javascript');
});
