// `server.auth`: one token from the environment protects the dashboard, /api/* and /metrics. A
// program sends it as `Authorization: Bearer <token>`; a person types it once into the login form,
// which sets a session cookie (HttpOnly, SameSite=Strict, Secure behind TLS) holding an expiry and
// an HMAC of it keyed by the token — never the token itself, and changing the token ends every
// session. Comparisons take constant time; failed logins are rate-limited.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { ServerAuth } from '../config/types.js';

export const SESSION_COOKIE = 'imos_session';
export const SESSION_MS = 7 * 86_400_000;
/** Failed logins allowed per address in a window before the form answers 429. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 5 * 60_000;

const digest = (text: string) => createHash('sha256').update(text).digest();
const sameText = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export type LoginOutcome = { ok: true; cookie: string } | { ok: false; status: 401 | 429; reason: string };

export class DashboardAuth {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly settings: ServerAuth | undefined,
    private readonly now: () => number,
  ) {}

  get enabled(): boolean {
    return Boolean(this.settings?.token);
  }

  get publicBadges(): boolean {
    return this.settings?.public_badges ?? false;
  }

  /** The request carries the token (bearer) or a valid session cookie; always true without auth. */
  allows(req: http.IncomingMessage): boolean {
    const token = this.settings?.token;
    if (!token) return true;
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (bearer !== undefined) return sameText(bearer, token);
    const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
    return session !== null && this.validSession(session, token);
  }

  private sign(expires: number, token: string): string {
    return createHmac('sha256', token).update(`imos-session.v1.${expires}`).digest('base64url');
  }

  private validSession(value: string, token: string): boolean {
    const m = /^v1\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return false;
    const expires = Number(m[1]);
    return expires > this.now() && sameText(m[2]!, this.sign(expires, token));
  }

  /** Check a token typed into the form; on success the Set-Cookie value for the session. */
  login(typed: string, remote: string, secure: boolean): LoginOutcome {
    const token = this.settings?.token;
    if (!token) return { ok: false, status: 401, reason: 'no login is configured' };
    const now = this.now();
    const recent = (this.failures.get(remote) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) return { ok: false, status: 429, reason: 'too many failed attempts: wait a few minutes' };
    if (!sameText(typed.trim(), token)) {
      recent.push(now);
      this.failures.set(remote, recent);
      // Bounded: addresses whose failures all lie outside the window are forgotten.
      if (this.failures.size > 1000) for (const [key, times] of this.failures) if (times.every((t) => now - t >= FAILURE_WINDOW_MS)) this.failures.delete(key);
      return { ok: false, status: 401, reason: 'wrong token' };
    }
    this.failures.delete(remote);
    const expires = now + SESSION_MS;
    return { ok: true, cookie: sessionCookie(`v1.${expires}.${this.sign(expires, token)}`, SESSION_MS / 1000, secure) };
  }

  /** The Set-Cookie value that ends the session. */
  logoutCookie(secure: boolean): string {
    return sessionCookie('', 0, secure);
  }
}

function sessionCookie(value: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** One cookie's value from a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}
