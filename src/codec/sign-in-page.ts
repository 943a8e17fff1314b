/**
 * The codec server's one page: an operator signs in once with the operator token, and the page
 * says how to point the development Temporal UI at this codec server with credentials. No script,
 * a strict Content-Security-Policy; everything interpolated is escaped.
 */
import { escapeHtml as esc } from '../integrations/mail/templates';

export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface PageState {
  signedIn: boolean;
  /** Where the Temporal UI is (the first allowed origin), for the instructions. */
  uiOrigin?: string;
  /** This codec server's endpoint as the UI should call it. */
  endpoint: string;
  error?: string;
}

export function signInPage(state: PageState): string {
  const ui = state.uiOrigin ? `<a href="${esc(state.uiOrigin)}">Temporal UI</a>` : 'Temporal UI';
  const body = state.signedIn
    ? `<p class="ok">Signed in: this browser may decode payloads for 12 hours.</p>
<p>Once per browser, in ${ui}: open <b>Codec Server</b> (top bar), set <b>Codec Server browser endpoint</b> to
<code>${esc(state.endpoint)}</code>, tick <b>Include cross-origin credentials</b>, and apply.</p>
<form method="post" action="/codec/session/end"><button type="submit">Sign out</button></form>`
    : `<form method="post" action="/codec/session">
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="off" required autofocus>
<button type="submit">Sign in</button>
</form>
<p>The token is in <code>npm start</code>'s banner. It is checked once; the browser then keeps a session
cookie that only this codec server reads.</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Codec server</title>
<style>body{font-family:sans-serif;margin:2em;max-width:44em}input{margin:0 .5em}.ok{color:#060}.error{color:#a00}code{background:#f4f4f4;padding:0 .2em}</style>
</head><body>
<h1>CSP Enrollment codec server</h1>
${state.error ? `<p class="error" role="alert">${esc(state.error)}</p>` : ''}
${body}
</body></html>
`;
}
