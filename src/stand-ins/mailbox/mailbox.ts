/**
 * A local SMTP mailbox for development and tests: accepts every message on loopback, keeps it in
 * memory (optionally in a JSON-lines file, reloaded at start), and shows it on a small web page.
 * `failNext` makes it answer with an SMTP error, to exercise the mailer's retry classification.
 */
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { appendJsonLines, clearJsonLines, readJsonLinesSync } from '../../process/json-lines';
import { privateFile } from '../../process/private-files';
import { mailboxHttpServer } from './http';

export interface DevMailboxOptions {
  /** SMTP port; 0 picks a free one. */
  port: number;
  host?: string;
  /** Web page and JSON API; omitted means no HTTP server. 0 picks a free port. */
  httpPort?: number;
  /** JSON-lines file that keeps mail across restarts. */
  storeFile?: string;
}

export interface StoredMessage {
  id: string;
  receivedAt: string;
  /** SMTP envelope: who the message was really delivered to. */
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string[];
  subject: string;
  date: string | null;
  messageId: string;
  /** True when an earlier message had the same Message-ID (a re-sent notification). */
  duplicate: boolean;
  text: string;
  html: string | null;
}

export interface DevMailbox {
  smtpPort: number;
  httpPort: number | undefined;
  httpUrl: string | undefined;
  messages(): StoredMessage[];
  /** Resolves with the first message (already received or arriving) that matches. */
  waitForMessage(match: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
  /** Answer the next `count` messages with this SMTP reply instead of accepting them. */
  failNext(count: number, responseCode: number, message?: string): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startDevMailbox(options: DevMailboxOptions): Promise<DevMailbox> {
  const host = options.host ?? '127.0.0.1';
  // The store holds applicants' mail: owner-only (mode 600).
  if (options.storeFile) privateFile(options.storeFile);
  // Messages kept by earlier runs; a line torn by a crash is skipped rather than losing the rest.
  const messages: StoredMessage[] = options.storeFile
    ? readJsonLinesSync<StoredMessage>(options.storeFile)
    : [];
  const waiters = new Set<(m: StoredMessage) => void>();
  const failures: Array<{ code: number; message: string }> = [];
  let writes: Promise<void> = Promise.resolve();

  const keep = (message: StoredMessage) => {
    messages.push(message);
    if (options.storeFile) {
      const file = options.storeFile;
      // Chained, so lines land in arrival order; a failed write costs persistence, not the message.
      writes = writes.then(() => appendJsonLines(file, [message])).catch(() => {});
    }
    for (const waiter of [...waiters]) waiter(message);
  };
  const clear = () => {
    messages.length = 0;
    failures.length = 0;
    const file = options.storeFile;
    if (file) writes = writes.then(() => clearJsonLines(file)).catch(() => {});
  };

  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    banner: 'CSP enrollment dev mailbox',
    logger: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 1000,
    // Any credentials do: this mailbox stands in for a relay, it guards nothing.
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'dev' }),
    onData(stream, session, callback) {
      const failure = failures.shift();
      if (failure) {
        // The stream must be drained before answering, even to refuse.
        stream.on('end', () =>
          callback(Object.assign(new Error(failure.message), { responseCode: failure.code })),
        );
        stream.resume();
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          const messageId = mail.messageId ?? '';
          keep({
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            from: mail.from?.text ?? '',
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            date: mail.date ? mail.date.toISOString() : null,
            messageId,
            duplicate: messageId !== '' && messages.some((m) => m.messageId === messageId),
            text: mail.text ?? '',
            html: mail.html || null,
          });
          callback();
        })
        .catch((error: Error) => callback(Object.assign(error, { responseCode: 451 })));
    },
  });
  // Dropped client connections surface here; a dev mailbox shrugs them off.
  smtp.on('error', () => {});
  const smtpPort = await new Promise<number>((resolve, reject) => {
    const net = smtp.listen(options.port, host, () => {
      net.off('error', reject);
      resolve((net.address() as AddressInfo).port);
    });
    net.once('error', reject);
  });

  let http: HttpServer | undefined;
  let httpPort: number | undefined;
  if (options.httpPort !== undefined) {
    http = mailboxHttpServer({ messages: () => messages, clear });
    const server = http;
    httpPort = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.httpPort, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  return {
    smtpPort,
    httpPort,
    httpUrl: httpPort === undefined ? undefined : `http://${host}:${httpPort}`,
    messages: () => messages.map((m) => ({ ...m })),
    waitForMessage(match, timeoutMs = 5000) {
      const already = messages.find(match);
      if (already) return Promise.resolve({ ...already });
      return new Promise((resolve, reject) => {
        const waiter = (m: StoredMessage) => {
          if (!match(m)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve({ ...m });
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    failNext(count, responseCode, message = 'Simulated failure') {
      if (!(responseCode >= 400 && responseCode < 600)) throw new Error('responseCode must be 4xx or 5xx');
      for (let i = 0; i < count; i++) failures.push({ code: responseCode, message });
    },
    clear,
    async close() {
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        http
          ? new Promise<void>((resolve) => {
              http.close(() => resolve());
              http.closeAllConnections();
            })
          : undefined,
      ]);
      await writes;
    },
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((group) => group.value.map((a) => a.address ?? '').filter((a) => a !== ''));
}
