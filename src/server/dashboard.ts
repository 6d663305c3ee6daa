// The dashboard's routes on `imos serve` (docs/CONTRACT.md "HTTP"): the page (server-rendered,
// drawn by the web wing from the console's view model), its script and styles, the event stream
// that pushes changed sections, one page per alert, status badges per system, and the login form
// when `server.auth` is set. Read-only: nothing here changes the store.
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import type { Alert } from '../model.js';
import type { Clock } from '../time/clock.js';
import { sanitizeLine } from '../text/sanitize.js';
import { redactSecrets } from '../text/redact.js';
import { configSecrets } from '../config/secrets.js';
import { DASHBOARD_PATH } from '../dashboard-links.js';
import { iconSvg, statusBadgeSvg } from '../../web/badge.js';
import { dashboardScript } from '../../web/client.js';
import { DashboardFeed } from '../../web/feed.js';
import { alertPage, dashboardPage, loginPage } from '../../web/page.js';
import { DASHBOARD_CSS } from '../../web/styles.js';
import type { DashboardAuth } from './auth.js';
import { HttpError, readBody, redirect, sendHtml, type Route } from './http.js';
import { readAlertHistory } from '../alerts/history.js';

export interface DashboardOptions {
  store: Store;
  config: ImosConfig;
  clock: Clock;
  auth: DashboardAuth;
  /** Pages kept open at once (each holds one connection). */
  maxStreams?: number;
  /** The feed's heartbeat (tests shorten it). */
  heartbeatMs?: number;
}

export interface DashboardRoutes {
  /** By `METHOD /path`. */
  routes: Record<string, Route>;
  /** GET routes under a path prefix (`/badge/`, `/dashboard/alerts/`). */
  prefixed: Array<{ prefix: string; route: Route }>;
  /** Answers without the token even when `server.auth` is set. */
  isPublic(method: string, pathname: string): boolean;
  /** What a request without the token gets: the login form for pages, 401 for the rest. */
  refuse(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void;
  /** Ends every open stream (the pages show "disconnected — retrying") and stops following the store. */
  close(): void;
}

/** From a page at `pathname` back to the server's root, as a relative path ('' for /dashboard). */
export function rootFrom(pathname: string): string {
  return '../'.repeat(Math.max(0, pathname.split('/').length - 2));
}

/** Where the login form may send people afterwards: the dashboard or an alert's page, nowhere else. */
export function safeNext(next: string | null | undefined): string {
  return next && /^dashboard(\/alerts\/[A-Za-z0-9_-]{1,40})?$/.test(next) ? next : 'dashboard';
}

const STATIC_CACHE = 'no-cache';
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;
const ALERT_PREFIX = `${DASHBOARD_PATH}/alerts/`;

export function dashboardRoutes(options: DashboardOptions): DashboardRoutes {
  const { store, config, clock, auth } = options;
  const maxStreams = options.maxStreams ?? 200;
  const streams = new Set<http.ServerResponse>();
  let feed: DashboardFeed | null = null;
  const getFeed = () => {
    feed ??= new DashboardFeed({ store, config, now: () => clock.now(), heartbeatMs: options.heartbeatMs });
    feed.start();
    return feed;
  };
  const secure = (req: http.IncomingMessage) =>
    req.headers['x-forwarded-proto'] === 'https' || Boolean((req.socket as TLSSocket).encrypted) || /^https:/i.test(config.server?.public_url ?? '');
  const script = dashboardScript();
  // What is stored was redacted as it was written; a page is redacted again as it is served (an
  // older record, a secret added to the environment since).
  const secrets = configSecrets(config);
  const redacted = (text: string) => redactSecrets(text, secrets);

  const routes: Record<string, Route> = {
    'GET /': async (_req, res) => redirect(res, 302, 'dashboard'),
    [`GET ${DASHBOARD_PATH}/`]: async (_req, res) => redirect(res, 301, '../dashboard'),
    [`GET ${DASHBOARD_PATH}`]: async (_req, res) => {
      const live = getFeed();
      await live.ready();
      const { view, sections } = live.current();
      sendHtml(res, 200, redacted(dashboardPage(view, sections, { auth: auth.enabled })));
    },
    [`GET ${DASHBOARD_PATH}/app.js`]: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': STATIC_CACHE });
      res.end(script);
    },
    [`GET ${DASHBOARD_PATH}/app.css`]: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': STATIC_CACHE });
      res.end(DASHBOARD_CSS);
    },
    [`GET ${DASHBOARD_PATH}/icon.svg`]: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': STATIC_CACHE });
      res.end(iconSvg());
    },
    [`GET ${DASHBOARD_PATH}/events`]: async (req, res) => {
      if (streams.size >= maxStreams) throw new HttpError(503, `too many open dashboards (${maxStreams})`);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx would otherwise hold the events back in its buffer.
        'x-accel-buffering': 'no',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      req.socket.setNoDelay(true);
      // The first message carries the page as the store has it, not as it was before the first read.
      const live = getFeed();
      await live.ready();
      if (res.destroyed) return;
      // The browser retries a dropped stream after this long.
      res.write('retry: 1000\n\n');
      streams.add(res);
      const unsubscribe = live.subscribe((event) => {
        if (res.writableEnded || res.destroyed) return;
        // A page that stopped reading (a frozen tab, a stalled proxy) is dropped, not buffered for ever; it reconnects.
        if (res.writableLength > MAX_UNSENT_BYTES) return void res.destroy();
        res.write(`event: dashboard\ndata: ${redacted(JSON.stringify(event))}\n\n`);
      });
      res.on('close', () => {
        unsubscribe();
        streams.delete(res);
      });
    },
    'GET /login': async (req, res, url) => {
      const next = safeNext(url.searchParams.get('next'));
      if (!auth.enabled || auth.allows(req)) return redirect(res, 303, next);
      sendHtml(res, 200, loginPage({ project: config.project, root: '', next, error: null }));
    },
    'POST /login': async (req, res) => {
      const form = new URLSearchParams((await readBody(req, 4096)).toString('utf8'));
      const next = safeNext(form.get('next'));
      if (!auth.enabled) return redirect(res, 303, next);
      const outcome = auth.login(form.get('token') ?? '', req.socket.remoteAddress ?? '?', secure(req));
      if (outcome.ok) return redirect(res, 303, next, { 'set-cookie': outcome.cookie });
      sendHtml(res, outcome.status, loginPage({ project: config.project, root: '', next, error: outcome.reason }));
    },
    'POST /logout': async (req, res) => redirect(res, 303, auth.enabled ? 'login' : 'dashboard', { 'set-cookie': auth.logoutCookie(secure(req)) }),
  };

  const alertRoute: Route = async (_req, res, url) => {
    const id = sanitizeLine(decodeSegment(url.pathname.slice(ALERT_PREFIX.length)), 40);
    if (!id || url.pathname.slice(ALERT_PREFIX.length).includes('/')) throw new HttpError(404, 'not found');
    const core = await store.read('core');
    const wanted = id.toUpperCase();
    const find = (alerts: readonly Alert[]) => alerts.find((a) => a.id.toUpperCase() === wanted);
    const alert = find(core.alerts) ?? find(await store.readArchivedAlerts()) ?? null;
    const history = alert ? await readAlertHistory(store, alert) : [];
    const page = alertPage({ project: config.project, root: rootFrom(url.pathname), timezone: config.timezone, nowMs: clock.now(), alert, id, history, auth: auth.enabled, config });
    sendHtml(res, alert ? 200 : 404, redacted(page));
  };

  const badgeRoute: Route = async (_req, res, url) => {
    const name = decodeSegment(url.pathname.slice('/badge/'.length));
    if (!name.endsWith('.svg') || name.includes('/')) throw new HttpError(404, 'not found: a badge is /badge/<system>.svg');
    const id = name.slice(0, -'.svg'.length);
    const live = getFeed();
    await live.ready();
    const system = live.viewModel.systems.find((s) => s.id === id);
    const svg = system ? statusBadgeSvg(system.id, system.status) : statusBadgeSvg(sanitizeLine(id, 40) || '?', 'pending', 'unknown system');
    // Embedded by READMEs and wikis elsewhere: readable cross-origin, never cached for long.
    res.writeHead(system ? 200 : 404, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'no-cache, max-age=0',
      'cross-origin-resource-policy': 'cross-origin',
    });
    res.end(svg);
  };

  const PUBLIC = new Set(['GET /healthz', 'POST /slack/actions', 'GET /', 'GET /login', 'POST /login', 'POST /logout', `GET ${DASHBOARD_PATH}/app.js`, `GET ${DASHBOARD_PATH}/app.css`, `GET ${DASHBOARD_PATH}/icon.svg`]);

  return {
    routes,
    prefixed: [
      { prefix: ALERT_PREFIX, route: alertRoute },
      { prefix: '/badge/', route: badgeRoute },
    ],
    isPublic: (method, pathname) => PUBLIC.has(`${method} ${pathname}`) || (auth.publicBadges && method === 'GET' && pathname.startsWith('/badge/')),
    refuse(req, res, url) {
      const page = url.pathname === DASHBOARD_PATH || url.pathname.startsWith(ALERT_PREFIX);
      if (page && req.method !== 'POST') {
        redirect(res, 303, `${rootFrom(url.pathname)}login?next=${encodeURIComponent(url.pathname.slice(1))}`);
        return;
      }
      res.setHeader('www-authenticate', 'Bearer realm="imos"');
      throw new HttpError(401, 'this server needs its token: Authorization: Bearer <token>, or log in at /login');
    },
    close() {
      for (const res of streams) res.end();
      streams.clear();
      feed?.close();
      feed = null;
    },
  };
}

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
}
