// The small HTTP pieces every route of `imos serve` shares: an error with its status, JSON and
// HTML answers, a bounded request body, and the security headers every answer carries.
import type http from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>;

/**
 * Every answer: a strict Content-Security-Policy (scripts, styles and images only from imos itself,
 * nothing inline, no framing), no MIME sniffing, no referrer, no opener.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function sendHtml(res: http.ServerResponse, status: number, page: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(page);
}

/** A redirect to a path relative to the request's own (so it works behind a proxy's path prefix). */
export function redirect(res: http.ServerResponse, status: 301 | 302 | 303, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}

/** Bytes of an oversized body read and dropped so that its sender gets the 413 (a reset loses it); then the connection is cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * The request body, at most `limit` bytes; a larger one is refused with 413. The rest of it is read
 * and dropped (up to 64 MiB) rather than the connection reset, so the sender reads the answer.
 */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = (what: string) => {
      refused = true;
      chunks.length = 0;
      reject(new HttpError(413, `request body too large (${what}; at most ${limit} bytes)`));
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) refuse(`${declared} bytes`);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > limit + MAX_DRAIN_BYTES) req.destroy();
        return;
      }
      if (size > limit) return refuse(`more than ${limit} bytes`);
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!refused) reject(error);
    });
  });
}
