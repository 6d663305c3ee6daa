// The HTTP face (`imos serve`): thin routes over the store and the alert actions.
//   GET  /healthz        whether imos is watching (healthz.ts)
//   GET  /api/status     overview, systems with their checks, open alerts, poller holder
//   GET  /api/alerts     open alerts (?all=1: resolved ones too)
//   GET  /metrics        Prometheus text
//   POST /slack/actions  Slack interactivity: the Acknowledge button
//   GET  /dashboard      the web dashboard, its event stream, alert pages and badges (dashboard.ts)
// Nothing changes state without a verified Slack signature. Binds to loopback unless told;
// `server.auth` puts a token in front of the dashboard, /api/* and /metrics (auth.ts).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ImosConfig } from '../config/types.js';
import { StoreError, type Store } from '../store/types.js';
import type { OutboxMessage } from '../model.js';
import type { Clock } from '../time/clock.js';
import { readStatus } from '../status.js';
import { sanitizeLine } from '../text/sanitize.js';
import { redactDeep, redactSecrets } from '../text/redact.js';
import { configSecrets } from '../config/secrets.js';
import { AlertActionError, performAlertAction } from '../alerts/actions.js';
import { findAlert } from '../alerts/transitions.js';
import { checksOfAlert } from '../alerts/gates.js';
import { ActionRefused, prepareRun, runAction, type PreparedRun } from '../playbooks/run.js';
import { playbookFor } from '../playbooks/select.js';
import { checkOnce } from '../engine/check-once.js';
import { sortAlerts } from '../alerts/present.js';
import { alertJson } from '../alert-json.js';
import { alertsWithArchive } from '../alerts/archive.js';
import { metricsText } from './metrics.js';
import { SLACK_TOLERANCE_MS, verifySlackSignature } from './slack-signature.js';
import { admitOnce } from '../store/seen-requests.js';
import { parseSlackAction, slackActionRefusal, SlackPayloadError, type SlackAckRequest } from './slack-actions.js';
import { HttpError, readBody, SECURITY_HEADERS, sendJson, type Route } from './http.js';
import { DashboardAuth } from './auth.js';
import { dashboardRoutes } from './dashboard.js';
import { checkHealth } from './healthz.js';

/** E1's `acknowledgeAlert(store, config, { id, actor, note?, nowMs })`, or a stand-in in tests. */
export type AcknowledgeFn = (
  store: Store,
  config: ImosConfig,
  input: { id: string; actor: string; note?: string; nowMs: number },
) => Promise<unknown>;

/** The store's replay guard of Slack requests (kv record `seen:slack-actions`). */
export const SLACK_REPLAY_GUARD = 'slack-actions';

export interface ServerOptions {
  store: Store;
  config: ImosConfig;
  clock: Clock;
  host?: string;
  port?: number;
  acknowledge?: AcknowledgeFn;
  /** Called after a Slack action changed an alert (e.g. to flush the outbox now). */
  afterAction?: (request: SlackAckRequest) => void | Promise<void>;
  /** Where to report what happened (a daemon log); default: nowhere. */
  log?: (line: string) => void;
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  /** The dashboard's tuning (tests shorten the heartbeat). */
  dashboard?: { heartbeatMs?: number; maxStreams?: number };
}

export interface RunningServer {
  url: string;
  port: number;
  /** Every route as `METHOD /path` (`/prefix/*` for a path under a prefix), as docs/CONTRACT.md lists them. */
  routes: string[];
  /** Resolves when every Slack action accepted so far has been carried out. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Slack's response URLs live on hooks.slack.com; a configured API host (a proxy, tests) is allowed too. */
export function responseUrlAllowed(target: string, apiUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol === 'https:' && url.hostname === 'hooks.slack.com') return true;
  if (!apiUrl) return false;
  try {
    return url.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/** Notifications by state, and the failed ones (they need a human: never silently dropped). */
export function outboxSummary(outbox: readonly OutboxMessage[], secrets: string[] = []) {
  const counts = { pending: 0, sent: 0, failed: 0 };
  for (const row of outbox) counts[row.state]++;
  const failed = outbox
    .filter((r) => r.state === 'failed')
    .slice(-20)
    .map((r) => ({ id: r.id, channel: r.channel, kind: r.kind, alertId: r.alertId, attempts: r.attempts, lastError: r.lastError === null ? null : redactSecrets(r.lastError, secrets) }));
  return { counts, failed };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { store, config, clock } = options;
  const host = options.host ?? config.server?.host ?? '127.0.0.1';
  const port = options.port ?? config.server?.port ?? 3401;
  const log = options.log ?? (() => {});
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const startedAt = clock.now();
  const secrets = configSecrets(config);
  const inFlight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();

  const auth = new DashboardAuth(config.server?.auth, () => clock.now());
  const dashboard = dashboardRoutes({ store, config, clock, auth, ...options.dashboard });

  const routes: Record<string, Route> = {
    ...dashboard.routes,
    'GET /healthz': async (_req, res) => {
      const health = await checkHealth(store, config, clock.now(), startedAt);
      res.writeHead(health.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(health.ok ? 'ok\n' : health.reasons.map((r) => `${r}\n`).join(''));
    },
    'GET /api/status': async (_req, res) => {
      const [report, core] = await Promise.all([readStatus(config, store, clock.now()), store.read('core')]);
      // Results and errors are stored redacted; the answer is redacted again (older records, new secrets).
      sendJson(res, 200, redactDeep({ ...report, outbox: outboxSummary(core.outbox, secrets) }, secrets));
    },
    'GET /api/alerts': async (_req, res, url) => {
      const all = ['1', 'true', 'yes'].includes(url.searchParams.get('all') ?? '');
      const core = await store.read('core');
      // As `imos alerts [--all] --json`: sorted, and with all=1 the archived resolved alerts too.
      const alerts = all ? await alertsWithArchive(store, core) : core.alerts.filter((a) => a.state !== 'resolved');
      sendJson(res, 200, { alerts: sortAlerts(alerts).map(alertJson) });
    },
    'GET /metrics': async (_req, res) => {
      const [status, core] = await Promise.all([readStatus(config, store, clock.now()), store.read('core')]);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metricsText(status, outboxSummary(core.outbox).counts));
    },
    'POST /slack/actions': async (req, res) => {
      const secret = config.channels.slack?.signing_secret;
      if (!secret) throw new HttpError(503, 'channels.slack.signing_secret is not configured');
      const raw = await readBody(req, maxBody);
      const timestamp = req.headers['x-slack-request-timestamp'] as string | undefined;
      const signature = req.headers['x-slack-signature'] as string | undefined;
      const now = clock.now();
      const check = verifySlackSignature({ secret, timestamp, signature, rawBody: raw, nowMs: now });
      if (!check.ok) throw new HttpError(401, check.reason);
      // Seen signatures are kept in the store for twice the tolerance: a replay is refused after a
      // restart and by every other server on the store too.
      if (!(await admitOnce(store, SLACK_REPLAY_GUARD, signature!, now, 2 * SLACK_TOLERANCE_MS))) {
        throw new HttpError(401, 'request already seen (replay)');
      }
      let request: SlackAckRequest;
      try {
        request = parseSlackAction(raw.toString('utf8'), config);
      } catch (error) {
        if (error instanceof SlackPayloadError) throw new HttpError(400, error.message);
        throw error;
      }
      // Slack wants an answer within 3 s: answer now, act right after.
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
      const job = (request.runAction ? runFromSlack(request, request.runAction) : acknowledgeFromSlack(request)).finally(() => inFlight.delete(job));
      inFlight.add(job);
    },
  };

  async function acknowledgeFromSlack(request: SlackAckRequest): Promise<void> {
    const refusal = slackActionRefusal(config, request);
    if (refusal) {
      // Someone outside `people` (a guest, another team): nothing changes, and they are told why.
      log(`slack: ${request.actor} (${request.slackUserId}, not in people) pressed Acknowledge on ${request.alertId}: refused`);
      await tellSlackUser(request, refusal);
      return;
    }
    try {
      const input = { id: request.alertId, actor: request.actor, nowMs: clock.now() };
      const outcome = options.acknowledge ? (await options.acknowledge(store, config, input), null) : await performAlertAction(store, config, 'ack', input);
      if (outcome && !outcome.changed) {
        // Someone was quicker (the console, the CLI, another button press): say so, change nothing.
        log(`slack: ${request.actor} pressed Acknowledge: ${sanitizeLine(outcome.message)}`);
        await tellSlackUser(request, outcome.message);
      } else {
        log(`slack: ${request.actor} acknowledged ${request.alertId}`);
      }
      await options.afterAction?.(request);
    } catch (error) {
      const reason = sanitizeLine((error as Error).message);
      log(`slack: acknowledging ${request.alertId} as ${request.actor} failed: ${reason}`);
      await tellSlackUser(request, `Could not acknowledge ${request.alertId}: ${reason}`);
    }
  }

  /**
   * A playbook action's button: it runs nothing unless the playbook allows Slack actions, and then
   * only for a Slack user mapped to a person of `people` whom the action's `allow` names (whatever
   * `actions_from` says for Acknowledge), and never an action that asks for a phrase.
   */
  async function runFromSlack(request: SlackAckRequest, actionId: string): Promise<void> {
    const refuse = async (why: string) => {
      log(`slack: ${request.actor} (${request.slackUserId}) pressed ${actionId} on ${request.alertId}: refused: ${why}`);
      await tellSlackUser(request, `Not run: ${why}`);
    };
    if (!request.person) return refuse(`your Slack user (${request.slackUserId}) is not one of this project's people in imos`);
    let prepared: PreparedRun;
    try {
      const alert = findAlert(await store.read('core'), request.alertId);
      const playbook = playbookFor(config, alert);
      if (playbook && !playbook.allowSlackActions) return refuse(`playbook ${playbook.id} does not allow Slack actions (allow_slack_actions)`);
      prepared = prepareRun(config, alert, { actionId, actor: request.person });
    } catch (error) {
      if (error instanceof ActionRefused || error instanceof AlertActionError) return refuse(sanitizeLine(error.message, 300));
      throw error;
    }
    if (prepared.action.confirm) return refuse(`${actionId} asks for a confirmation phrase: run it from the console or with \`imos run ${prepared.alert.id} ${actionId}\``);
    await tellSlackUser(request, `Running ${prepared.action.id} for ${prepared.alert.id}: \`${prepared.command}\``);
    try {
      const result = await runAction(store, prepared, { nowMs: () => clock.now() });
      log(`slack: ${request.person} ran ${prepared.playbook.id}.${actionId} for ${prepared.alert.id}: ${result.summary}`);
      const tail = result.output.slice(-10).join('\n');
      await tellSlackUser(request, `${prepared.action.id} for ${prepared.alert.id}: ${result.summary}${tail ? `\n\`\`\`${tail.replace(/```/g, "'''")}\`\`\`` : ''}`);
      const checks = checksOfAlert(config, prepared.alert);
      if (checks.length > 0) await checkOnce(config, store, checks, { clock });
      await options.afterAction?.(request);
    } catch (error) {
      if (error instanceof ActionRefused) return refuse(sanitizeLine(error.message, 300));
      const reason = sanitizeLine((error as Error).message);
      log(`slack: running ${actionId} for ${request.alertId} as ${request.person} failed: ${reason}`);
      await tellSlackUser(request, `Could not run ${actionId}: ${reason}`);
    }
  }

  /** An ephemeral reply to the person who pressed the button (only to Slack, or the configured API host). */
  async function tellSlackUser(request: SlackAckRequest, text: string): Promise<void> {
    const target = request.responseUrl;
    if (!target || !responseUrlAllowed(target, config.channels.slack?.api_url)) return;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        redirect: 'error',
        signal: AbortSignal.timeout(5000),
      });
      await res.body?.cancel().catch(() => undefined);
    } catch (error) {
      log(`slack: could not reply to ${request.actor}: ${sanitizeLine((error as Error).message)}`);
    }
  }

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://imos.local');
    } catch {
      // A request target node accepts but URL does not (`GET http://[zz/`): it must not take the server down.
      sendJson(res, 400, { error: 'malformed request target' });
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // HEAD is GET without the body (node drops the body of a HEAD response itself).
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const prefixed = dashboard.prefixed.find((p) => url.pathname.startsWith(p.prefix));
    const route = routes[`${method} ${url.pathname}`] ?? (method === 'GET' ? prefixed?.route : undefined);
    const handle = async () => {
      if (!route) {
        const allowed = Object.keys(routes)
          .filter((k) => k.endsWith(` ${url.pathname}`))
          .map((k) => k.split(' ')[0]!);
        if (prefixed) allowed.push('GET');
        if (allowed.includes('GET')) allowed.push('HEAD');
        if (allowed.length) res.setHeader('allow', allowed.join(', '));
        throw new HttpError(allowed.length ? 405 : 404, allowed.length ? 'method not allowed' : 'not found');
      }
      if (auth.enabled && !dashboard.isPublic(method, url.pathname) && !auth.allows(req)) return dashboard.refuse(req, res, url);
      await route(req, res, url);
    };
    handle().catch((error: unknown) => {
      // A store that cannot be read (broken file, missing directory, lock) is unavailable, with its reason.
      const status = error instanceof HttpError ? error.status : error instanceof StoreError ? 503 : 500;
      const message =
        error instanceof HttpError ? error.message : error instanceof StoreError ? `store unavailable: ${sanitizeLine(error.message)}` : 'internal error';
      if (status >= 500) log(`http: ${req.method} ${url.pathname}: ${sanitizeLine((error as Error)?.message)}`);
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const settled = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };

  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    routes: [...Object.keys(routes), ...dashboard.prefixed.map((p) => `GET ${p.prefix}*`)],
    settled,
    close: async () => {
      // Open dashboards see their stream end (and say "disconnected — retrying").
      dashboard.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await settled();
      // Requests still open after the actions settled are dropped rather than waited on forever.
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
