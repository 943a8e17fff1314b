/**
 * Sessions of the codec server's sign-in page, for the development Temporal UI, which can send
 * cookies ("Include cross-origin credentials") but no header. The cookie holds a random session
 * ID, never the operator token; the server keeps only its digest, until it expires or signs out.
 */
import { randomBytes } from 'node:crypto';
import { secretDigest } from '../auth/bearer';

export const SESSION_COOKIE = 'csp_codec_session';
const TTL_MS = 12 * 3600_000;
const MAX_SESSIONS = 1000;

export class CodecSessions {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session's ID, for the cookie. */
  create(): string {
    this.evict();
    const id = randomBytes(32).toString('base64url');
    this.expiries.set(secretDigest(id).toString('hex'), this.now() + TTL_MS);
    return id;
  }

  valid(id: string | undefined): boolean {
    if (!id) return false;
    const expiry = this.expiries.get(secretDigest(id).toString('hex'));
    return expiry !== undefined && expiry > this.now();
  }

  end(id: string | undefined): void {
    if (id) this.expiries.delete(secretDigest(id).toString('hex'));
  }

  /** `Set-Cookie` for a session: script-proof, same-site only, sent only to the codec routes. */
  static cookie(id: string, secure: boolean): string {
    return `${SESSION_COOKIE}=${id}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${TTL_MS / 1000}${secure ? '; Secure' : ''}`;
  }

  static clearedCookie(): string {
    return `${SESSION_COOKIE}=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  /** The session ID a `Cookie` header carries, if any. */
  static fromCookieHeader(header: string | undefined): string | undefined {
    for (const part of (header ?? '').split(';')) {
      const at = part.indexOf('=');
      if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE)
        return part.slice(at + 1).trim() || undefined;
    }
    return undefined;
  }

  private evict(): void {
    const now = this.now();
    for (const [digest, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(digest);
    // Oldest first (insertion order) when many sign-ins pile up.
    for (const digest of this.expiries.keys()) {
      if (this.expiries.size < MAX_SESSIONS) break;
      this.expiries.delete(digest);
    }
  }
}
