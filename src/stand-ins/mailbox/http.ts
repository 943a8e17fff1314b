/**
 * The development mailbox's web page and JSON API on node:http. Every part of the request is
 * parsed inside the handler's error handling, so a malformed target or escape is a 4xx in the
 * service's error shape and never reaches the process; broken requests the HTTP parser refuses
 * are answered by src/http/client-error.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorBody } from '../../http/errors';
import { answerClientError, MISSING_HOST, missingHost, SERVER_OPTIONS } from '../../http/client-error';
import type { StoredMessage } from './mailbox';
import { listPage, messagePage, PAGE_CSP } from './page';

export interface MailboxStore {
  messages(): StoredMessage[];
  clear(): void;
}

class BadRequest extends Error {}

function route(req: IncomingMessage): { path: string; id?: string; json: boolean } {
  if (missingHost(req)) throw new BadRequest(MISSING_HOST);
  try {
    const path = new URL(req.url ?? '/', 'http://mailbox').pathname;
    const one = /^\/(api\/)?messages\/([^/]+)$/.exec(path);
    return { path, id: one ? decodeURIComponent(one[2]) : undefined, json: !!one?.[1] };
  } catch {
    throw new BadRequest('malformed request target');
  }
}

function handle(req: IncomingMessage, res: ServerResponse, store: MailboxStore): void {
  const send = (status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': PAGE_CSP });
    res.end(body);
  };
  const json = (status: number, body: unknown) => send(status, 'application/json', JSON.stringify(body));
  const { path, id, json: asJson } = route(req);
  const method = req.method ?? '';
  if (method === 'GET' && path === '/health') return json(200, { ok: true });
  if (method === 'GET' && path === '/') return send(200, 'text/html', listPage(store.messages()));
  if (method === 'GET' && path === '/api/messages') return json(200, store.messages());
  if (method === 'DELETE' && path === '/api/messages') {
    store.clear();
    return json(200, { ok: true });
  }
  const found = id === undefined ? undefined : store.messages().find((m) => m.id === id);
  if (method === 'GET' && found)
    return asJson ? json(200, found) : send(200, 'text/html', messagePage(found));
  json(404, errorBody('not-found', id === undefined ? `no route ${method} ${path}` : 'no such message'));
}

export function mailboxHttpServer(store: MailboxStore): Server {
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    try {
      handle(req, res, store);
    } catch (error) {
      const bad = error instanceof BadRequest;
      res.writeHead(bad ? 400 : 500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify(
          errorBody(bad ? 'invalid-request' : 'internal', bad ? error.message : 'mailbox error'),
        ),
      );
    }
  });
  server.on('clientError', answerClientError);
  return server;
}
