// The dashboard on a real `imos serve` (startServer on loopback, a real JSON store), without a
// browser: the page, its security headers, the event stream that follows the store, alert pages,
// badges and the token. The browser's side is in test/e2e/dashboard-browser.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performAlertAction } from '../alerts/actions.js';
import { archiveResolvedAlerts } from '../alerts/archive.js';
import type { ImosConfig } from '../config/types.js';
import { seedStore } from '../store/testing/draft.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { ManualClock } from '../time/clock.js';
import { startServer, type RunningServer } from './server.js';
import { makeAlert, notifyConfig, tempStore } from '../../test/helpers/notify-fixtures.js';
import { openEventStream, type EventStream } from '../../test/helpers/sse.js';
import type { DashboardEvent } from '../../web/feed.js';

const TOKEN = 'dashboard-test-token-5d1e7a';
const NOW = '2026-01-05T00:10:00Z';

describe('the dashboard on imos serve', () => {
  let store: Store;
  let file: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | null = null;
  let streams: EventStream[] = [];
  let clock: ManualClock;

  async function serve(config: ImosConfig): Promise<RunningServer> {
    server = await startServer({ store, config, clock, host: '127.0.0.1', port: 0, dashboard: { heartbeatMs: 200 } });
    return server;
  }

  async function stream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const s = await openEventStream(url, headers);
    streams.push(s);
    return s;
  }

  const parse = (data: string) => JSON.parse(data) as DashboardEvent;

  beforeEach(async () => {
    ({ store, file, cleanup } = await tempStore());
    clock = new ManualClock(NOW);
    await seedStore(store, {
      alerts: [
        makeAlert({ id: 'A1', message: '<img src=x onerror="window.__pwned=1"> 503', openedAt: '2026-01-05T00:00:00.000Z' }),
        makeAlert({ id: 'A2', severity: 'HIGH', state: 'resolved', resolvedAt: '2026-01-05T00:05:00.000Z', openedAt: '2026-01-05T00:01:00.000Z' }),
      ],
    });
  });

  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server?.close();
    server = null;
    await cleanup();
  });

  it('redirects / to the page, serves it server-rendered with a strict Content-Security-Policy, and its script and styles', async () => {
    const { url } = await serve(notifyConfig());
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('dashboard');
    const res = await fetch(`${url}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const page = await res.text();
    for (const name of ['Unified platform', 'Members (FastAPI)', 'PMS', 'Orders SaaS']) expect(page).toContain(name);
    expect(page).toContain('<a href="dashboard/alerts/A1">A1</a>');
    expect(page).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; 503');
    expect(page).not.toContain('<img');
    // The resolved alert is in the incident history.
    expect(page).toMatch(/Incident history[\s\S]*A2/);
    const js = await fetch(`${url}/dashboard/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('EventSource');
    expect((await fetch(`${url}/dashboard/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${url}/dashboard/`, { redirect: 'manual' })).headers.get('location')).toBe('../dashboard');
  });

  it('pushes the sections a change in the store touched: an acknowledgement reaches an open stream', async () => {
    const config = notifyConfig();
    const { url } = await serve(config);
    const events = await stream(`${url}/dashboard/events`);
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const first = parse((await events.next((m) => m.event === 'dashboard')).data);
    expect(Object.keys(first.sections).sort()).toEqual(['alerts', 'incidents', 'maintenance', 'notice', 'overview', 'status', 'systems', 'timeline', 'uptime']);
    expect(first.sections.alerts).toContain('<td class="nowrap state">open</td>');

    await performAlertAction(store, config, 'ack', { id: 'A1', actor: 'luna', note: 'on it', nowMs: clock.now() });
    const acked = parse((await events.next((m) => m.event === 'dashboard' && (parse(m.data).sections.alerts ?? '').includes('ack luna'))).data);
    expect(acked.version).toBeGreaterThan(first.version);
    // Only what changed travels: the timeline did not.
    expect(acked.sections.timeline).toBeUndefined();
    // Heartbeats keep coming while nothing changes (the page knows the stream is alive).
    await events.next((m) => m.event === 'dashboard' && parse(m.data).version > acked.version + 1);
  });

  it('a new alert stored by another process (as the poller does) reaches an open stream', async () => {
    const { url } = await serve(notifyConfig());
    const events = await stream(`${url}/dashboard/events`);
    const first = parse((await events.next((m) => m.event === 'dashboard')).data);
    expect(first.sections.alerts).not.toContain('A3');
    const poller = await openStore(file);
    try {
      await poller.transact('core', (tx) => void tx.put('alerts', makeAlert({ id: 'A3', severity: 'CRITICAL', message: 'pms-api: 503 <b>down</b>', openedAt: NOW })));
      const opened = parse((await events.next((m) => m.event === 'dashboard' && (parse(m.data).sections.alerts ?? '').includes('alert-A3'))).data);
      expect(opened.sections.alerts).toContain('pms-api: 503 &lt;b&gt;down&lt;/b&gt;');
      expect(opened.title).toMatch(/^\(\d+ CRITICAL\) /);
    } finally {
      await poller.close();
    }
  });

  it('ends every open stream when the server stops', async () => {
    const { url } = await serve(notifyConfig());
    const events = await stream(`${url}/dashboard/events`);
    await events.next((m) => m.event === 'dashboard');
    await server!.close();
    server = null;
    await events.ended;
    const head = await startServer({ store, config: notifyConfig(), clock, host: '127.0.0.1', port: 0 }).then(async (s) => {
      const res = await fetch(`${s.url}/dashboard/events`, { method: 'HEAD' });
      await s.close();
      return res;
    });
    expect(head.status).toBe(200);
  });

  it('an alert’s page: its facts and history, hot or archived; an unknown id is 404', async () => {
    const config = notifyConfig();
    const { url } = await serve(config);
    await performAlertAction(store, config, 'ack', { id: 'A1', actor: 'luna', note: 'restarting <pms>', nowMs: clock.now() });
    const page = await (await fetch(`${url}/dashboard/alerts/a1`)).text();
    expect(page).toContain('acknowledged');
    expect(page).toContain('restarting &lt;pms&gt;');
    expect(page).toContain('<a href="../../dashboard">');
    await archiveResolvedAlerts(store, 0, clock.now());
    const archived = await fetch(`${url}/dashboard/alerts/A2`);
    expect(archived.status).toBe(200);
    expect(await archived.text()).toContain('resolved');
    const missing = await fetch(`${url}/dashboard/alerts/A99`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No alert A99');
  });

  it('serves an SVG badge per system (status by glyph, word and colour); an unknown system is a 404 badge', async () => {
    await seedStore(store, {
      checks: [{ id: 'member-api', last: null, failures: 2, successes: 0, status: 'CRITICAL', since: NOW }],
    });
    const { url } = await serve(notifyConfig());
    const res = await fetch(`${url}/badge/hotel-member.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toContain('hotel-member: CRITICAL');
    const unknown = await fetch(`${url}/badge/nope.svg`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('unknown system');
    expect((await fetch(`${url}/badge/hotel-member`)).status).toBe(404);
    expect((await fetch(`${url}/badge/hotel-member.svg`, { method: 'POST' })).status).toBe(405);
  });

  it('changes nothing without Slack’s signature: besides GET, only the signed Slack actions and the login and logout (which touch no stored data) are routes', async () => {
    const running = await serve(notifyConfig());
    expect(running.routes.filter((r) => !r.startsWith('GET ')).sort()).toEqual(['POST /login', 'POST /logout', 'POST /slack/actions']);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect((await fetch(`${running.url}/dashboard`, { method })).status, method).toBe(405);
    expect((await fetch(`${running.url}/dashboard/alerts/A1`, { method: 'POST' })).status).toBe(405);
    const unsigned = await fetch(`${running.url}/slack/actions`, { method: 'POST', body: 'payload=%7B%7D' });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect((await store.read('core')).alerts.find((a) => a.id === 'A1')!.state).toBe('open');
  });

  describe('with server.auth', () => {
    const withAuth = (publicBadges = false) => {
      const config = notifyConfig();
      config.server = { ...config.server, auth: { token: TOKEN, public_badges: publicBadges } };
      return config;
    };

    it('protects the page, its stream, alert pages, /api/* and /metrics; health, Slack, styles and script stay open', async () => {
      const { url } = await serve(withAuth());
      const page = await fetch(`${url}/dashboard`, { redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('login?next=dashboard');
      const alertPage = await fetch(`${url}/dashboard/alerts/A1`, { redirect: 'manual' });
      expect(alertPage.headers.get('location')).toBe('../../login?next=dashboard%2Falerts%2FA1');
      for (const path of ['/api/status', '/api/alerts', '/metrics', '/dashboard/events', '/badge/hotel-member.svg']) {
        const res = await fetch(`${url}${path}`);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="imos"');
        expect(await res.text()).not.toContain('hotel');
      }
      for (const path of ['/healthz', '/dashboard/app.js', '/dashboard/app.css', '/login']) expect((await fetch(`${url}${path}`)).status, path).toBe(200);
      expect((await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
      expect((await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      // The bearer header opens the page and its stream as well (a wall screen's kiosk browser, a proxy adding it).
      const bearer = { authorization: `Bearer ${TOKEN}` };
      const page2 = await fetch(`${url}/dashboard`, { headers: bearer, redirect: 'manual' });
      expect(page2.status).toBe(200);
      expect(await page2.text()).toContain('Members (FastAPI)');
      expect((await fetch(`${url}/dashboard/alerts/A1`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${url}/badge/hotel-member.svg`, { headers: bearer })).status).toBe(200);
      const events = await stream(`${url}/dashboard/events`, bearer);
      expect(events.status).toBe(200);
      await events.next((m) => m.event === 'dashboard');
      expect((await fetch(`${url}/dashboard`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, redirect: 'manual' })).status).toBe(303);
    });

    it('the login form sets a session cookie (never the token) that opens the page and the stream; logging out ends it', async () => {
      const { url } = await serve(withAuth());
      const post = (token: string) =>
        fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, next: 'dashboard/alerts/A1' }) });
      const wrong = await post('not-the-token');
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain('wrong token');
      const ok = await post(TOKEN);
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('dashboard/alerts/A1');
      const cookie = ok.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^imos_session=v1\.\d+\.[\w-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Strict$/);
      expect(cookie).not.toContain(TOKEN);
      const session = cookie.split(';')[0]!;
      expect((await fetch(`${url}/dashboard`, { headers: { cookie: session } })).status).toBe(200);
      const events = await stream(`${url}/dashboard/events`, { cookie: session });
      expect(events.status).toBe(200);
      await events.next((m) => m.event === 'dashboard');
      // A forged or altered cookie opens nothing.
      expect((await fetch(`${url}/api/status`, { headers: { cookie: session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } })).status).toBe(401);
      const out = await fetch(`${url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: session } });
      expect(out.headers.get('set-cookie')).toMatch(/^imos_session=; Path=\/; Max-Age=0;/);
      // Behind TLS (a reverse proxy saying so) the cookie is Secure.
      const tls = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token: TOKEN }) });
      expect(tls.headers.get('set-cookie')).toMatch(/; Secure$/);
    });

    it('refuses a login after ten wrong tokens from one address for a while', async () => {
      const { url } = await serve(withAuth());
      const attempt = (token: string) => fetch(`${url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token }) });
      for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
      expect((await attempt(TOKEN)).status).toBe(429);
      await clock.advance(5 * 60_000);
      expect((await attempt(TOKEN)).status).toBe(303);
    });

    it('badges may be public (server.auth.public_badges) while the rest stays protected', async () => {
      const { url } = await serve(withAuth(true));
      expect((await fetch(`${url}/badge/hotel-member.svg`)).status).toBe(200);
      expect((await fetch(`${url}/api/status`)).status).toBe(401);
    });
  });
});
