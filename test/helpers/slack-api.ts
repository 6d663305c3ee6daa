// A loopback stand-in for the Slack Web API, for the real @slack/web-api WebClient: it speaks
// auth.test, chat.postMessage (with message metadata), chat.update, conversations.history and
// conversations.replies (form-encoded, Bearer token), keeps the messages it holds, and can be scripted to answer 500, 429 with Retry-After, a platform error, or to hang.
// Several tokens may be valid at once (one per sending host, so a call tells who made it), and
// answers can be held back (`delayMs`: the message is taken at once, the answer comes later).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHmac } from 'node:crypto';

export interface SlackCall {
  method: string;
  params: Record<string, string>;
  token: string | null;
  /** HTTP status we answered (0 for a request left hanging). */
  status: number;
  /** When the request arrived (epoch ms). */
  at: number;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs: string | null;
  /** Message metadata (`{event_type, event_payload}`), when posted with it. */
  metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
  /** Every version of the message, oldest first (chat.update appends). */
  versions: Array<{ text: string; blocks: unknown[] }>;
  /** When the message arrived (epoch ms): the detection bench measures up to it. */
  at: number;
}

export type ScriptedReply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true };

export interface SlackApi {
  /** Base URL for WebClient's `slackApiUrl` (ends with /api/). */
  url: string;
  token: string;
  /** Every token accepted (`token` and the extra ones). */
  tokens: readonly string[];
  calls: SlackCall[];
  /** Each answer is sent this long after the request was handled (0: at once). */
  delayMs: number;
  messages: SlackMessage[];
  /** Posts to response URLs (`<origin>/actions/…`): ephemeral replies to the button's presser. */
  responses: Array<{ path: string; body: Record<string, unknown> }>;
  /** Queue replies for the next calls of `method` ('*' for any); unscripted calls succeed. */
  script(method: string, ...replies: ScriptedReply[]): void;
  /** Top-level messages (not thread replies) in the order posted. */
  topLevel(): SlackMessage[];
  replies(ts: string): SlackMessage[];
  close(): Promise<void>;
}

export async function startSlackApi(token = 'xoxb-test-token', options: { extraTokens?: string[] } = {}): Promise<SlackApi> {
  const tokens = [token, ...(options.extraTokens ?? [])];
  const calls: SlackCall[] = [];
  const messages: SlackMessage[] = [];
  const scripts = new Map<string, ScriptedReply[]>();
  const responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  const sockets = new Set<Socket>();
  // Message timestamps as Slack makes them: seconds of the current time, unique per channel.
  let lastTs = 0;
  const newTs = () => {
    lastTs = Math.max(lastTs + 1, Date.now() * 1000);
    return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, '0')}`;
  };
  const api = { delayMs: 0 } as SlackApi;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!(req.url ?? '').startsWith('/api/')) {
        // A response_url: what the server told the person who pressed a button.
        responses.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('ok');
      }
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const auth = req.headers.authorization ?? '';
      const call: SlackCall = { method, params, token: auth.startsWith('Bearer ') ? auth.slice(7) : null, status: 0, at: Date.now() };
      calls.push(call);
      const queue = scripts.get(method)?.length ? scripts.get(method)! : scripts.get('*');
      const scripted = queue?.shift();
      if (scripted && 'hang' in scripted) return; // never answer: the client must time out
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        const answer = () => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(typeof body === 'string' ? body : JSON.stringify(body));
        };
        if (api.delayMs > 0) setTimeout(answer, api.delayMs);
        else answer();
      };
      if (scripted) return send(scripted.status, scripted.body ?? { ok: false, error: 'scripted' }, scripted.headers);
      if (call.token === null || !tokens.includes(call.token)) return send(200, { ok: false, error: 'invalid_auth' });
      const blocks = params.blocks ? (JSON.parse(params.blocks) as unknown[]) : [];
      switch (method) {
        case 'auth.test':
          return send(200, { ok: true, user: 'imos', team: 'Loopback', user_id: 'UIMOS', team_id: 'TLOOP' });
        case 'chat.postMessage': {
          if (!params.channel) return send(200, { ok: false, error: 'channel_not_found' });
          const ts = newTs();
          const text = params.text ?? '';
          const metadata = params.metadata ? (JSON.parse(params.metadata) as SlackMessage['metadata']) : null;
          messages.push({ channel: params.channel, ts, text, blocks, threadTs: params.thread_ts ?? null, metadata, versions: [{ text, blocks }], at: call.at });
          return send(200, { ok: true, channel: params.channel, ts, message: { text } });
        }
        case 'chat.update': {
          const message = messages.find((m) => m.channel === params.channel && m.ts === params.ts);
          if (!message) return send(200, { ok: false, error: 'message_not_found' });
          message.text = params.text ?? message.text;
          message.blocks = blocks;
          message.versions.push({ text: message.text, blocks });
          return send(200, { ok: true, channel: message.channel, ts: message.ts, text: message.text });
        }
        case 'conversations.history':
        case 'conversations.replies': {
          // One page, newest first (history) or the parent then its replies (replies); metadata only when asked.
          const listed =
            method === 'conversations.history'
              ? messages.filter((m) => m.channel === params.channel && !m.threadTs && Number(m.ts) >= Number(params.oldest ?? 0)).reverse()
              : messages.filter((m) => m.channel === params.channel && (m.ts === params.ts || m.threadTs === params.ts));
          if (method === 'conversations.replies' && !listed.some((m) => m.ts === params.ts)) return send(200, { ok: false, error: 'thread_not_found' });
          const withMetadata = params.include_all_metadata === 'true';
          return send(200, {
            ok: true,
            messages: listed.map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) })),
            has_more: false,
          });
        }
        default:
          return send(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const parts: Omit<SlackApi, 'delayMs'> = {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    tokens,
    calls,
    messages,
    responses,
    script(method, ...replies) {
      scripts.set(method, [...(scripts.get(method) ?? []), ...replies]);
    },
    topLevel: () => messages.filter((m) => !m.threadTs),
    replies: (ts) => messages.filter((m) => m.threadTs === ts),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  Object.assign(api, parts);
  return api;
}

// What Slack sends when someone presses a button: a signed, form-encoded interactivity request.

/** A block_actions payload as Slack sends it for a button press. */
let pressed = 0;

export function ackPayload(alertId: string, user = { id: 'U01SUNO', username: 'suno.s' }, actionId = 'imos_ack', responseUrl = 'https://hooks.slack.com/actions/T/1/x'): string {
  // Each press carries its own action_ts, as Slack's do: two presses in one second are not one
  // request replayed (the same body signed in the same second is refused as a replay).
  const payload = {
    type: 'block_actions',
    user: { ...user, name: user.username },
    actions: [{ action_id: actionId, value: alertId, type: 'button', action_ts: `${(Date.now() / 1000).toFixed(3)}${String(++pressed).padStart(3, '0')}` }],
    response_url: responseUrl,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export async function postSlack(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/slack/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

export function signed(body: string, nowMs: number, secret: string): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex') };
}
