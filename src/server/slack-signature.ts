// Slack request signatures: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the
// signing secret, compared in constant time, on the raw bytes before any parser touches them.
// Requests more than five minutes off are refused (replay window); inside the window, a signature
// already seen is refused too (a replayed copy of a genuine request): the server keeps the seen
// signatures in the store (store/seen-requests.ts), so a restart or a second server does not forget.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SLACK_TOLERANCE_MS = 5 * 60_000;

export function slackSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifySlackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  toleranceMs?: number;
}): SignatureCheck {
  const { secret, timestamp, signature, rawBody, nowMs } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (!signature || !signature.startsWith('v0=')) return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > (input.toleranceMs ?? SLACK_TOLERANCE_MS)) {
    return { ok: false, reason: 'request timestamp is more than 5 minutes off' };
  }
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
