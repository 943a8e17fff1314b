/**
 * JSON over HTTP for every external-service client. It turns each failure into an
 * ExternalServiceError whose `retryable` tells the activity whether to let Temporal retry:
 * 5xx, 429, timeouts and connection failures may pass; other 4xx will answer the same next time.
 *
 * Request and response bodies are never logged or copied into errors: they carry personal data.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { ExternalServiceError } from '../contracts';

export interface HttpClientOptions {
  /** e.g. http://127.0.0.1:7380 — routes are appended to it. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Per call, covering connect, request and reading the answer. */
  timeoutMs: number;
}

export interface JsonRequest<T> {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sent as `Idempotency-Key`; required by the services for every call that creates something. */
  idempotencyKey?: string;
  /** Shape of a successful answer; anything else is a contract break, not a passing glitch. */
  response: z.ZodType<T>;
}

export class JsonClient {
  private readonly baseUrl: string;

  constructor(
    readonly service: string,
    private readonly options: HttpClientOptions,
  ) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new Error(`${service}: timeoutMs must be a positive number`);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async request<T>(req: JsonRequest<T>): Promise<T> {
    const what = `${req.method} ${req.path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;

    let answer: Answer;
    try {
      answer = await exchange(new URL(this.baseUrl + req.path), {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        timeoutMs: this.options.timeoutMs,
      });
    } catch (err) {
      throw this.transportError(what, err);
    }
    const { status, text, retryAfter } = answer;

    if (status < 200 || status >= 300) {
      const retryable = status >= 500 || status === 429 || status === 408;
      const { message, code } = errorFields(text);
      throw new ExternalServiceError(
        `${this.service} ${what} failed (${status}): ${message ?? `HTTP ${status}`}`,
        this.service,
        retryable,
        status,
        code,
        // Only a retryable answer's wait matters: the activity turns it into the next retry's delay.
        retryable ? retryAfterMs(retryAfter) : undefined,
      );
    }

    const parsed = req.response.safeParse(parseJson(text));
    if (!parsed.success) {
      // Name only the offending fields: the values may be personal data.
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
      throw new ExternalServiceError(
        `${this.service} ${what} answered ${status} with an unexpected body (${fields})`,
        this.service,
        false,
        status,
      );
    }
    return parsed.data;
  }

  private transportError(what: string, err: unknown): ExternalServiceError {
    if (err instanceof ExchangeTimeout) {
      return new ExternalServiceError(
        `${this.service} ${what} timed out after ${this.options.timeoutMs} ms`,
        this.service,
        true,
      );
    }
    if (err instanceof AnswerTooLarge) {
      return new ExternalServiceError(`${this.service} ${what}: ${err.message}`, this.service, false);
    }
    const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
    const reason = [e.code, e.message].find((v) => typeof v === 'string') ?? String(err);
    return new ExternalServiceError(
      `${this.service} ${what} could not connect: ${reason}`,
      this.service,
      true,
    );
  }
}

interface Answer {
  status: number;
  text: string;
  retryAfter: string | null;
}

/** No service of ours answers more than this; a larger answer is refused, not buffered. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

class ExchangeTimeout extends Error {}
class AnswerTooLarge extends Error {}

/**
 * One request and its whole answer over node:http(s), on the default agents (keep-alive: calls
 * reuse their connections). Not `fetch`: its streams cost about twice the CPU per call. One timer
 * covers the whole exchange, body included, so a stalled answer also times out.
 */
function exchange(
  url: URL,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs: number;
    resent?: boolean;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: options.method, headers: options.headers });
    const sentAt = Date.now();
    const timer = setTimeout(() => req.destroy(new ExchangeTimeout()), options.timeoutMs);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      reject(err);
    };
    let answered = false;
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as this call went out: the request never
      // reached it, so it is sent again once, on a new connection (as Node's docs advise).
      if (req.reusedSocket && err.code === 'ECONNRESET' && !answered && !options.resent) {
        clearTimeout(timer);
        const timeoutMs = Math.max(1, options.timeoutMs - (Date.now() - sentAt));
        exchange(url, { ...options, timeoutMs, resent: true }).then(resolve, reject);
      } else fail(err);
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES)
          req.destroy(new AnswerTooLarge(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const retryAfter = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
        });
      });
    });
    req.end(options.body);
  });
}

/** Encodes one path segment; IDs come from other systems and must not reshape the route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads `{ error: { code, message } }`, `{ error: "..." }` or `{ message }`; servers vary. */
function errorFields(text: string): { message?: string; code?: string } {
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  let message: unknown = record.message;
  let code: unknown;
  if (typeof error === 'string') message = error;
  else if (typeof error === 'object' && error !== null) {
    message = (error as Record<string, unknown>).message;
    code = (error as Record<string, unknown>).code;
  }
  // Bounded, so a chatty server cannot flood logs through our error messages.
  return {
    ...(typeof message === 'string' ? { message: message.slice(0, 500) } : {}),
    ...(typeof code === 'string' && /^[a-z0-9_.-]{1,64}$/i.test(code) ? { code } : {}),
  };
}

/** Retry-After in seconds or as an HTTP date, bounded to an hour; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3_600_000) : undefined;
}
