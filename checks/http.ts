// Check kind `http`: one request to an endpoint; reports the status code, the latency, the size
// and (for a JSON response) the parsed body, for conditions like `status == 200`,
// `latency < 500ms`, `body.status == 'ok'`, `body.items.length > 0`.
// An endpoint that cannot be reached (refused, DNS, TLS, timeout) is a finding, not a failure to
// run: it reports `status = 0`, so the expectations fail and the configured severity applies.
import * as z from 'zod';
import { redactSecrets, redactUrl } from '../src/text/redact.js';
import { sanitizeLine, sanitizeText } from '../src/text/sanitize.js';
import { formatBytes } from './shared/format.js';
import { secretHeaderValues, urlCredentials } from '../src/text/secrets.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';
import { formatDuration } from '../src/text/durations.js';

/** Bytes of body read at most; the rest is not downloaded. */
export const MAX_BODY_BYTES = 1024 * 1024;
const PREVIEW_CHARS = 2000;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const schema = z.looseObject({
  url: z.string().refine(isHttpUrl, { message: 'expected an http:// or https:// URL' }),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET or POST')
    .transform((m) => m.toUpperCase())
    .optional(),
  headers: z.record(z.string(), scalar).default({}),
  /** A string is sent as is; anything else is sent as JSON. */
  body: z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  follow_redirects: z.boolean().default(true),
});

export type HttpCheckConfig = z.output<typeof schema>;

function isHttpUrl(text: string): boolean {
  // No URL object: a configuration with thousands of endpoints checks each at every load.
  return /^[\s\0-\x1f]*https?:/i.test(text) && URL.canParse(text);
}

async function runHttp(config: HttpCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const url = new URL(config.url);
  const shownUrl = redactUrl(url.toString());
  const secrets = secretHeaderValues(config.headers);
  const clean = (text: string) => sanitizeLine(redactSecrets(text, secrets), 300);

  const headers = new Headers();
  for (const [name, value] of Object.entries(config.headers)) {
    try {
      headers.set(name, value);
    } catch {
      return { value: null, metrics: {}, message: clean(`header "${name}" has an invalid name or value`), status: 'error' };
    }
  }
  let body: string | undefined;
  if (config.body !== undefined) {
    if (typeof config.body === 'string') {
      body = config.body;
    } else {
      body = JSON.stringify(config.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  // fetch refuses credentials inside a URL: send them as Basic authentication instead.
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    // The password, `user:password` and its Base64: an echoing target gives back any of them.
    secrets.push(...urlCredentials(config.url));
    if (!headers.has('authorization')) headers.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
    url.username = '';
    url.password = '';
  }
  const method = config.method ?? (body !== undefined ? 'POST' : 'GET');
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    return { value: null, metrics: {}, message: `a ${method} request cannot carry a body; set method: POST`, status: 'error' };
  }

  // Our own deadline ends the request a little before the engine's, so that an endpoint that
  // does not answer is reported as a finding ("timed out after 10s") and not as a lost run.
  // One controller and a timer cleared when the run ends: AbortSignal.timeout's timer would fire
  // (and abort a finished request) seconds after every run, a cost a daemon pays thousands of times.
  const deadlineMs = Math.max(1, ctx.timeoutMs - Math.min(200, ctx.timeoutMs * 0.05));
  const request = new AbortController();
  let pastDeadline = false;
  const deadlineTimer = setTimeout(() => {
    pastDeadline = true;
    request.abort(new DOMException('the check\'s deadline passed', 'TimeoutError'));
  }, deadlineMs);
  const forwardAbort = () => request.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', forwardAbort, { once: true });
  try {
    return await exchange(config, ctx, { url, shownUrl, method, headers, body, secrets, signal: request.signal, timedOut: () => pastDeadline });
  } finally {
    clearTimeout(deadlineTimer);
    ctx.signal.removeEventListener('abort', forwardAbort);
  }
}

interface Exchange {
  url: URL;
  shownUrl: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  secrets: string[];
  signal: AbortSignal;
  /** Whether our own deadline ended the request. */
  timedOut: () => boolean;
}

/** The request and its response, read and described. */
async function exchange(config: HttpCheckConfig, ctx: CheckContext, x: Exchange): Promise<CheckOutcome> {
  const { url, shownUrl, method, headers, body, signal } = x;
  const clean = (text: string) => sanitizeLine(redactSecrets(text, x.secrets), 300);
  const timedOut = () => x.timedOut() || (ctx.signal.aborted && (ctx.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError');
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const detail: Record<string, unknown> = { url: shownUrl, method };

  const unreachable = (reason: string): CheckOutcome => {
    const latency = elapsed();
    return {
      value: null,
      metrics: { status: 0, latency, size: 0 },
      message: clean(`${reason} (${method} ${shownUrl})`),
      alertType: 'SYSTEM_CONNECTION_FAILURE',
      detail: { ...detail, latencyMs: latency, problem: reason },
    };
  };
  const aborted = (): CheckOutcome => ({
    value: null,
    metrics: {},
    message: clean(`aborted after ${formatDuration(elapsed(), 'measured')} (${method} ${shownUrl})`),
    status: 'error',
  });

  if (ctx.signal.aborted) return aborted();

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body,
      redirect: config.follow_redirects ? 'follow' : 'manual',
      signal,
    });
  } catch (error) {
    if (timedOut()) return unreachable(`timed out after ${formatDuration(ctx.timeoutMs, 'measured')}`);
    if (ctx.signal.aborted) return aborted();
    return unreachable(describeFetchError(error, url));
  }

  const statusLine = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  detail.httpStatus = response.status;
  detail.statusText = sanitizeLine(response.statusText, 80);
  const contentType = response.headers.get('content-type') ?? '';
  detail.contentType = sanitizeLine(contentType, 120);

  let raw: Buffer;
  let truncated = false;
  try {
    ({ bytes: raw, truncated } = await readCapped(response, MAX_BODY_BYTES));
  } catch {
    if (timedOut()) {
      return unreachable(`${statusLine} received, then the body timed out after ${formatDuration(ctx.timeoutMs, 'measured')}`);
    }
    if (ctx.signal.aborted) return aborted();
    return unreachable(`${statusLine} received, then the connection broke while reading the body`);
  }
  const latency = elapsed();
  const text = decodeBody(raw, contentType);
  const metrics: Record<string, unknown> = { status: response.status, latency, size: raw.length };
  const notes: string[] = [];

  const declaredJson = /[/+]json\b/i.test(contentType);
  const looksJson = contentType === '' && /^\s*[[{]/.test(text);
  if (raw.length === 0) {
    // HEAD, 204 and 304 have no body by definition, whatever their content-type says.
    const bodyless = method === 'HEAD' || response.status === 204 || response.status === 304;
    if (declaredJson && !bodyless) notes.push('empty body');
  } else if (truncated) {
    notes.push(`body larger than ${formatBytes(MAX_BODY_BYTES)}, read only that much${declaredJson ? ' and not parsed' : ''}`);
    if (!declaredJson) metrics.body = sanitizeText(text.slice(0, PREVIEW_CHARS));
  } else if (declaredJson || looksJson) {
    try {
      metrics.body = sanitizeJson(JSON.parse(text), 0);
    } catch {
      if (declaredJson) notes.push(`invalid JSON body (content-type ${sanitizeLine(contentType, 60)})`);
      else metrics.body = sanitizeText(text);
    }
  } else {
    metrics.body = sanitizeText(text);
  }

  detail.size = raw.length;
  detail.truncated = truncated;
  detail.latencyMs = latency;
  detail.bodyPreview = sanitizeText(text.slice(0, PREVIEW_CHARS));

  let message = `${statusLine} in ${formatDuration(latency, 'measured')}`;
  if (response.status >= 400) {
    const hint = errorHint(metrics.body);
    if (hint) message += `: ${hint}`;
  }
  if (notes.length > 0) message += ` — ${notes.join('; ')}`;

  return { value: latency, metrics, message: clean(message), detail };
}

/** The body as text in its declared charset (Shift_JIS, EUC-JP…); UTF-8 when none or unknown. */
function decodeBody(raw: Buffer, contentType: string): string {
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    try {
      return new TextDecoder(charset).decode(raw);
    } catch {
      // A charset this Node does not know: fall back to UTF-8.
    }
  }
  return raw.toString('utf8');
}

/** Read at most `limit` bytes of the body; the rest is cancelled, never buffered. */
async function readCapped(response: Response, limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), truncated: false };
    const room = limit - size;
    if (value.length > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(value);
    size += value.length;
  }
}

/** Strip terminal controls from every string of a parsed JSON value (keys included). */
function sanitizeJson(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return sanitizeText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 100) return null; // a pathological nesting is not worth walking
  if (Array.isArray(value)) return value.map((item) => sanitizeJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[sanitizeText(key)] = sanitizeJson(item, depth + 1);
  return out;
}

/** A short reason from an error response: its JSON `message` / `error` / `detail`, or its first text line. */
function errorHint(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? sanitizeLine(body.trim().split(/\r?\n/)[0], 100) : undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    for (const key of ['message', 'error', 'detail', 'title']) {
      const v = record[key];
      if (typeof v === 'string' && v.trim()) return sanitizeLine(v, 100);
      if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).message === 'string') {
        return sanitizeLine((v as Record<string, unknown>).message, 100);
      }
    }
  }
  return undefined;
}

/** What went wrong reaching the endpoint, in words a person on call understands. */
export function describeFetchError(error: unknown, url: URL): string {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const code = String((cause as { code?: unknown })?.code ?? '');
  const detail = String((cause as { message?: unknown })?.message ?? cause);
  const where = url.host;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `host not found: ${url.hostname}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return `connection to ${where} closed before a response`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connecting to ${where} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable (no route)`;
    case 'UND_ERR_HEADERS_OVERFLOW':
      return `response headers from ${where} too large`;
  }
  if (detail === 'bad port') return `port ${url.port} is on fetch's list of blocked ports; it cannot be probed over HTTP`;
  if (/CERT|TLS|SSL|EPROTO/i.test(code)) return `TLS error with ${where}: ${detail}`;
  return `request to ${where} failed: ${code ? `${code} ` : ''}${detail}`;
}

export const httpCheck: CheckKind<HttpCheckConfig> = {
  kind: 'http',
  description: 'Requests an HTTP endpoint; reports status, latency, size and the JSON body',
  alertType: 'ENDPOINT_DOWN',
  metrics: {
    status: { unit: 'count', description: 'HTTP status code (0 when the endpoint could not be reached)' },
    latency: { unit: 'ms', description: 'time from sending the request to the end of the response' },
    size: { unit: 'count', description: 'bytes of body received (at most 1 MiB is read)' },
    body: { unit: 'object', description: 'the parsed JSON body (text for other content types); body.<path>' },
  },
  schema: schema as unknown as z.ZodType<HttpCheckConfig>,
  target: (config) => {
    try {
      return `http ${new URL(config.url).host}`;
    } catch {
      return 'http';
    }
  },
  // `status > 0`: an unreachable endpoint reports status 0, which `status < 400` alone would pass.
  defaultExpect: ['status > 0', 'status < 400'],
  run: async (config, ctx) => {
    try {
      return await runHttp(config, ctx);
    } catch (error) {
      return { value: null, metrics: {}, message: sanitizeLine(redactSecrets(`http check failed: ${String(error)}`)), status: 'error' };
    }
  },
};
