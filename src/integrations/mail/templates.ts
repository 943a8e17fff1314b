/**
 * Every notification as subject, plain text and HTML, in zh-CN (default), en-US and fr-FR.
 * Locale files write words only; this file builds the HTML and escapes every value, because
 * company names and reviewer questions come from applicants. No template takes a password.
 */
import {
  type Locale,
  LOCALES,
  type NotificationParams,
  type NotificationTemplate,
} from '../../domain/notifications';
import { GUIDE_LINKS } from '../../domain/links';
import type { LocaleTexts, Paragraph, Params } from './content';
import { enUS } from './locales/en-US';
import { frFR } from './locales/fr-FR';
import { zhCN } from './locales/zh-CN';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export const DEFAULT_LOCALE: Locale = 'zh-CN';

const TEXTS: Record<Locale, LocaleTexts> = { 'zh-CN': zhCN, 'en-US': enUS, 'fr-FR': frFR };

/** Params a template cannot do without; a missing one is a caller bug, reported before sending. */
const REQUIRED: Partial<Record<NotificationTemplate, Array<keyof NotificationParams>>> = {
  'account-details-needed': ['reason'],
  'account-created': ['signInName'],
  'application-reminder': ['dueAt'],
  'information-requested': ['question'],
  'agreement-reminder': ['dueAt'],
  'incident-opened': ['step'],
};

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export function renderNotification(
  template: NotificationTemplate,
  locale: Locale | undefined,
  params: NotificationParams,
): RenderedMessage {
  const lang: Locale = locale && (LOCALES as readonly string[]).includes(locale) ? locale : DEFAULT_LOCALE;
  const texts = TEXTS[lang];
  for (const name of REQUIRED[template] ?? []) {
    if (!params[name]) throw new TemplateError(`template ${template} needs ${name}`);
  }
  const p: Params = {
    ...params,
    links: params.links ?? GUIDE_LINKS,
    ...(params.dueAt ? { dueAtText: formatDate(params.dueAt, lang) } : {}),
  };
  const content = texts.templates[template](p);

  const paragraphs: Paragraph[] = [
    [texts.greeting(params.recipientName)],
    ...content.body,
    [texts.reference(params.enrollmentId)],
    texts.signOff.map((line, i) => (i === 0 ? line : `\n${line}`)),
    [texts.automated],
  ];
  return {
    // A header must stay on one line whatever the company name holds.
    subject: content.subject.replace(/[\r\n]+/g, ' '),
    text: paragraphs.map(toText).join('\n\n') + '\n',
    html: toHtml(lang, content.subject, paragraphs),
  };
}

/** Deadlines in China Standard Time, the program's clock, written the locale's way. */
function formatDate(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(date);
  return `${text} (UTC+8)`;
}

function toText(paragraph: Paragraph): string {
  return paragraph.map((part) => (typeof part === 'string' ? part : part.link)).join('');
}

function toHtml(lang: Locale, subject: string, paragraphs: Paragraph[]): string {
  const body = paragraphs
    .map((paragraph) => {
      const inner = paragraph
        .map((part) => (typeof part === 'string' ? escapeHtml(part).replace(/\n/g, '<br>') : link(part.link)))
        .join('');
      return `<p>${inner}</p>`;
    })
    .join('\n');
  return (
    `<!DOCTYPE html>\n<html lang="${lang}">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body>\n</html>\n`
  );
}

/** Only http(s) URLs become links; anything else (javascript:, data:) stays inert text. */
function link(url: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url);
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
