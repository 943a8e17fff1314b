/**
 * The dev mailbox's web pages. Everything a message holds is escaped; its HTML is shown only in a
 * sandboxed iframe (no scripts, opaque origin) under a CSP that forbids scripts anyway.
 */
import type { StoredMessage } from './mailbox';
import { escapeHtml as esc } from '../../integrations/mail/templates';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'";

function page(title: string, body: string): string {
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;' +
    'padding:4px 8px;text-align:left}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}' +
    'iframe{width:100%;height:480px;border:1px solid #ccc}.dup{color:#a60}</style></head>' +
    `<body>${body}</body></html>\n`
  );
}

export function listPage(messages: StoredMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${esc(m.receivedAt)}</td><td>${esc(m.from)}</td><td>${esc(m.to.join(', '))}</td>` +
        `<td><a href="/messages/${encodeURIComponent(m.id)}">${esc(m.subject || '(no subject)')}</a></td>` +
        `<td><code>${esc(m.messageId)}</code>${m.duplicate ? ' <span class="dup">(repeat)</span>' : ''}</td></tr>`,
    )
    .join('\n');
  return page(
    'Dev mailbox',
    `<h1>Dev mailbox</h1><p>${messages.length} message(s). JSON: <a href="/api/messages">/api/messages</a></p>` +
      '<table><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th><th>Message-ID</th></tr>' +
      `${rows}</table>`,
  );
}

export function messagePage(m: StoredMessage): string {
  const html = m.html
    ? `<h2>HTML</h2><iframe sandbox="" referrerpolicy="no-referrer" srcdoc="${esc(m.html)}"></iframe>`
    : '';
  return page(
    m.subject,
    `<p><a href="/">&larr; all messages</a></p><h1>${esc(m.subject || '(no subject)')}</h1>` +
      `<table><tr><th>From</th><td>${esc(m.from)}</td></tr><tr><th>To</th><td>${esc(m.to.join(', '))}</td></tr>` +
      `<tr><th>Date</th><td>${esc(m.date ?? '')}</td></tr><tr><th>Message-ID</th><td><code>${esc(m.messageId)}</code></td></tr>` +
      `</table><h2>Text</h2><pre>${esc(m.text)}</pre>${html}`,
  );
}
