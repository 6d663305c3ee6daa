import { seedStore } from '../store/testing/draft.js';
import fs from 'node:fs/promises';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import type { CheckRecord } from '../model.js';
import type { Store } from '../store/types.js';
import { archiveResolvedAlerts } from '../alerts/archive.js';
import { startServer, responseUrlAllowed, type RunningServer, type AcknowledgeFn } from './server.js';
import { makeAlert, notifyConfig, SIGNING_SECRET, tempStore } from '../../test/helpers/notify-fixtures.js';
import { ackPayload, postSlack, signed, startSlackApi } from '../../test/helpers/slack-api.js';
import { HANG_MS, waitUntil } from '../../test/helpers/bounds.js';

function checkState(over: Partial<CheckRecord> = {}): CheckRecord {
  return {
    id: 'member-api',
    last: {
      id: 'member-api',
      system: 'hotel-member',
      kind: 'http',
      status: 'CRITICAL',
      runStatus: 'CRITICAL',
      value: 503,
      metrics: { status: 503, latency: 250 },
      message: 'GET /health answered 503',
      durationMs: 260,
      at: '2026-01-05T00:00:00.000Z',
    },
    failures: 1,
    successes: 0,
    status: 'CRITICAL',
    since: '2026-01-05T00:00:00.000Z',
    ...over,
  };
}

const sign = (body: string, nowMs: number, secret = SIGNING_SECRET) => signed(body, nowMs, secret);

describe('imos serve (the HTTP face)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let server: RunningServer;
  let clock: ManualClock;
  let acks: Array<{ id: string; actor: string }>;
  const config = notifyConfig();

  beforeEach(async () => {
    ({ store, cleanup } = await tempStore());
    clock = new ManualClock('2026-01-05T00:10:00Z');
    acks = [];
    await seedStore(store, { alerts: [makeAlert({ id: 'A1' }), makeAlert({ id: 'A2', severity: 'HIGH', state: 'resolved', resolvedAt: '2026-01-05T00:05:00.000Z' })], outbox: [{
        id: 'A1-alert-slack-1', channel: 'slack', kind: 'alert', alertId: 'A1', to: [], subject: 's', text: 't', state: 'failed',
        attempts: 8, nextAttemptAt: '2026-01-05T00:00:00.000Z', lastError: 'Slack refused: invalid_auth', createdAt: '2026-01-05T00:00:00.000Z', sentAt: null,
      }] });
    await seedStore(store, { checks: [checkState()] });
    const acknowledge: AcknowledgeFn = async (_s, _c, input) => {
      acks.push({ id: input.id, actor: input.actor });
    };
    server = await startServer({ store, config, clock, host: '127.0.0.1', port: 0, acknowledge });
  });
  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  it('binds to loopback and serves /healthz, /api/status and /api/alerts', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as Record<string, any>;
    expect(status.project).toBe('Hotel integration');
    expect(status.systems.find((s: any) => s.id === 'hotel-member').checks[0]).toMatchObject({ id: 'member-api', status: 'CRITICAL', value: 503 });
    expect(status.alerts.map((a: any) => a.id)).toEqual(['A1']);
    expect(status.poller).toBeNull();
    expect(status.outbox.counts).toEqual({ pending: 0, sent: 0, failed: 1 });
    expect(status.outbox.failed[0]).toMatchObject({ id: 'A1-alert-slack-1', lastError: 'Slack refused: invalid_auth' });
    const open = (await (await fetch(`${server.url}/api/alerts`)).json()) as { alerts: Array<{ id: string }> };
    expect(open.alerts.map((a) => a.id)).toEqual(['A1']);
    const all = (await (await fetch(`${server.url}/api/alerts?all=1`)).json()) as { alerts: Array<{ id: string }> };
    expect(all.alerts.map((a) => a.id).sort()).toEqual(['A1', 'A2']);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/status`, { method: 'POST' })).status).toBe(405);
  });

  it('/api/status lists open alerts with exactly the fields of the alert contract (not the store record)', async () => {
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as { alerts: Array<Record<string, unknown>> };
    expect(Object.keys(status.alerts[0]!).sort()).toEqual(
      ['id', 'fingerprint', 'checkId', 'system', 'type', 'severity', 'state', 'message', 'openedAt', 'lastSeenAt',
        'acknowledgedBy', 'acknowledgedAt', 'resolvedAt', 'escalationLevel', 'nextEscalationAt'].sort(),
    );
    const listed = (await (await fetch(`${server.url}/api/alerts`)).json()) as { alerts: unknown[] };
    expect(status.alerts).toEqual(listed.alerts);
  });

  it('/api/alerts?all=1 includes archived resolved alerts, sorted like imos alerts --all --json', async () => {
    await seedStore(store, { alerts: [makeAlert({ id: 'A3', severity: 'CRITICAL', openedAt: '2026-01-04T00:00:00.000Z' })] });
    expect(await archiveResolvedAlerts(store, 0, clock.now())).toBe(1);
    const all = (await (await fetch(`${server.url}/api/alerts?all=1`)).json()) as { alerts: Array<{ id: string }> };
    expect(all.alerts.map((a) => a.id).sort()).toEqual(['A1', 'A2', 'A3']);
    const open = (await (await fetch(`${server.url}/api/alerts`)).json()) as { alerts: Array<{ id: string }> };
    expect(open.alerts.map((a) => a.id)).toEqual(['A3', 'A1']); // the older CRITICAL first
  });

  it('answers 400 to a request target that is not a URL, and keeps serving', async () => {
    const { port } = server;
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET http://[zz/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.setTimeout(HANG_MS, () => socket.destroy());
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers HEAD like GET without a body, and names the allowed methods on 405', async () => {
    for (const route of ['/healthz', '/api/status', '/api/alerts', '/metrics']) {
      const head = await fetch(`${server.url}${route}`, { method: 'HEAD' });
      const get = await fetch(`${server.url}${route}`);
      expect(head.status, route).toBe(200);
      expect(head.headers.get('content-type'), route).toBe(get.headers.get('content-type'));
      expect(await head.text(), route).toBe('');
      await get.body?.cancel();
    }
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const slackGet = await fetch(`${server.url}/slack/actions`);
    expect(slackGet.status).toBe(405);
    expect(slackGet.headers.get('allow')).toBe('POST');
    expect((await fetch(`${server.url}/nope`, { method: 'HEAD' })).status).toBe(404);
  });

  it('answers 503 with the reason when the store cannot be read, and keeps serving', async () => {
    const broken = await tempStore();
    const other = await startServer({ store: broken.store, config, clock, host: '127.0.0.1', port: 0 });
    try {
      await fs.writeFile(broken.file, '{"version": 1, "alerts": [');
      for (const route of ['/api/status', '/api/alerts', '/metrics']) {
        const res = await fetch(`${other.url}${route}`);
        expect(res.status, route).toBe(503);
        const body = (await res.json()) as { error: string };
        expect(body.error, route).toMatch(/^store unavailable: .*imos\.json is not valid JSON/);
      }
      // Nobody can watch through a store that cannot be read: /healthz says so too.
      const health = await fetch(`${other.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.text()).toMatch(/^store unreadable: .*imos\.json is not valid JSON/);
      expect(await fs.readFile(broken.file, 'utf8')).toBe('{"version": 1, "alerts": [');
    } finally {
      await other.close();
      await broken.cleanup();
    }
  });

  it('serves Prometheus metrics: checks by status, open alerts by severity, latency and duration', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE imos_checks gauge');
    expect(text).toContain('imos_checks{status="CRITICAL"} 1');
    expect(text).toContain('imos_open_alerts{severity="CRITICAL"} 1');
    expect(text).toContain('imos_open_alerts{severity="HIGH"} 0');
    expect(text).toContain('imos_check_duration_seconds{check="member-api",system="hotel-member"} 0.26');
    expect(text).toContain('imos_check_latency_seconds{check="member-api",system="hotel-member"} 0.25');
    expect(text).toContain('imos_poller_active 0');
    expect(text).toContain('imos_outbox_messages{state="failed"} 1');
  });

  it('acknowledges an alert for a correctly signed button press, as the mapped person', async () => {
    const body = ackPayload('A1');
    const res = await postSlack(server.url, body, sign(body, clock.now()));
    expect(res.status).toBe(200);
    await server.settled();
    expect(acks).toEqual([{ id: 'A1', actor: 'suno' }]);
  });

  it('refuses a Slack user who is not one of the people, telling them privately; actions_from: workspace lets them act', async () => {
    const slack = await startSlackApi();
    const responseUrl = slack.url.replace(/\/api\/$/, '/actions/T1/42/abc');
    const logs: string[] = [];
    const strict = await startServer({ store, config: notifyConfig({ slackApiUrl: slack.url }), clock, port: 0, log: (l) => logs.push(l), acknowledge: async (_s, _c, input) => void acks.push({ id: input.id, actor: input.actor }) });
    const open = await startServer({
      store,
      config: notifyConfig({ slackApiUrl: slack.url, actionsFrom: 'workspace' }),
      clock,
      port: 0,
      acknowledge: async (_s, _c, input) => void acks.push({ id: input.id, actor: input.actor }),
    });
    try {
      const body = ackPayload('A1', { id: 'U99STRANGER', username: 'stranger' }, 'imos_ack', responseUrl);
      expect((await postSlack(strict.url, body, sign(body, clock.now()))).status).toBe(200);
      await strict.settled();
      expect(acks).toEqual([]);
      expect(slack.responses).toHaveLength(1);
      expect(slack.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(slack.responses[0]!.body.text)).toContain('Not acknowledged: your Slack user (U99STRANGER) is not one of this project');
      expect(String(slack.responses[0]!.body.text)).toContain('imos ack A1');
      expect(logs.some((l) => l.includes('U99STRANGER, not in people') && l.includes('refused'))).toBe(true);
      // Opened to the workspace: they act under their Slack user name.
      await clock.advance(1000);
      const again = ackPayload('A1', { id: 'U99STRANGER', username: 'stranger' }, 'imos_ack', responseUrl);
      expect((await postSlack(open.url, again, sign(again, clock.now()))).status).toBe(200);
      await open.settled();
      expect(acks).toEqual([{ id: 'A1', actor: 'stranger' }]);
    } finally {
      await strict.close();
      await open.close();
      await slack.close();
    }
  });

  it('refuses forged, replayed, stale and unsigned requests with 401, and unknown actions with 400', async () => {
    const body = ackPayload('A1');
    // Forged: signed with another secret, or the body changed after signing.
    expect((await postSlack(server.url, body, sign(body, clock.now(), 'wrong-secret'))).status).toBe(401);
    expect((await postSlack(server.url, ackPayload('A2'), sign(body, clock.now()))).status).toBe(401);
    // Unsigned.
    expect((await postSlack(server.url, body, {})).status).toBe(401);
    // Stale: signed six minutes ago (or ahead).
    expect((await postSlack(server.url, body, sign(body, clock.now() - 6 * 60_000))).status).toBe(401);
    expect((await postSlack(server.url, body, sign(body, clock.now() + 6 * 60_000))).status).toBe(401);
    // Replayed: the same genuine request twice.
    const headers = sign(body, clock.now());
    expect((await postSlack(server.url, body, headers)).status).toBe(200);
    const replay = await postSlack(server.url, body, headers);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toMatch(/replay/);
    // Unknown action, correctly signed.
    await clock.advance(1000);
    const other = ackPayload('A1', undefined, 'delete_everything');
    expect((await postSlack(server.url, other, sign(other, clock.now()))).status).toBe(400);
    await server.settled();
    expect(acks).toHaveLength(1);
  });

  it('answers at once, before the acknowledgement finishes', async () => {
    let release!: () => void;
    const slow: AcknowledgeFn = () => new Promise<void>((r) => (release = r));
    const second = await startServer({ store, config, clock, port: 0, acknowledge: slow });
    const body = ackPayload('A1');
    const started = Date.now();
    const res = await postSlack(second.url, body, sign(body, clock.now()));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(HANG_MS); // the acknowledgement never finishes by itself
    await waitUntil('the acknowledgement to start', () => release, HANG_MS, 5);
    release();
    await second.close();
  });

  it('with the real alert actions: acknowledges in the store, and tells the presser when it cannot', async () => {
    const slack = await startSlackApi();
    const cfg = notifyConfig({ slackApiUrl: slack.url });
    const logs: string[] = [];
    const real = await startServer({ store, config: cfg, clock, port: 0, log: (l) => logs.push(l) });
    try {
      const responseUrl = slack.url.replace(/\/api\/$/, '/actions/T1/42/abc');
      const press = ackPayload('a1', { id: 'U01MANAGER', username: 'mgr' }, 'imos_ack', responseUrl);
      expect((await postSlack(real.url, press, sign(press, clock.now()))).status).toBe(200);
      await real.settled();
      const alert = (await store.read('core')).alerts.find((a) => a.id === 'A1')!;
      expect(alert).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'manager' });
      expect((await store.readAudit()).some((e) => e.action === 'ack' && e.actor === 'manager' && e.target === 'A1')).toBe(true);
      expect(slack.responses).toHaveLength(0);
      // A second press (the message not yet updated): nothing changes, the presser is told who was first.
      await clock.advance(1000);
      const again = ackPayload('A1', { id: 'U01OWNER', username: 'owner' }, 'imos_ack', responseUrl);
      expect((await postSlack(real.url, again, sign(again, clock.now()))).status).toBe(200);
      await real.settled();
      expect((await store.read('core')).alerts.find((a) => a.id === 'A1')).toMatchObject({ acknowledgedBy: 'manager', acknowledgedAt: alert.acknowledgedAt });
      expect(slack.responses.map((r) => String(r.body.text))).toEqual([expect.stringContaining('A1 is already acknowledged by manager')]);
      expect(logs.some((l) => l.includes('owner acknowledged'))).toBe(false);
      slack.responses.length = 0;
      // A resolved alert cannot be acknowledged: the presser is told, privately.
      await clock.advance(1000);
      const late = ackPayload('A2', { id: 'U01MANAGER', username: 'mgr' }, 'imos_ack', responseUrl);
      expect((await postSlack(real.url, late, sign(late, clock.now()))).status).toBe(200);
      await real.settled();
      expect(slack.responses).toHaveLength(1);
      expect(slack.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(slack.responses[0]!.body.text)).toMatch(/Could not acknowledge A2: .*resolved/);
      expect(logs.some((l) => l.includes('failed'))).toBe(true);
    } finally {
      await real.close();
      await slack.close();
    }
  });

  it('replies only to Slack response URLs (or the configured API host)', () => {
    expect(responseUrlAllowed('https://hooks.slack.com/actions/T/1/x', undefined)).toBe(true);
    expect(responseUrlAllowed('http://hooks.slack.com/actions/T/1/x', undefined)).toBe(false);
    expect(responseUrlAllowed('https://evil.example/actions', undefined)).toBe(false);
    expect(responseUrlAllowed('http://127.0.0.1:9/actions/x', 'http://127.0.0.1:9/api/')).toBe(true);
    expect(responseUrlAllowed('http://127.0.0.1:10/actions/x', 'http://127.0.0.1:9/api/')).toBe(false);
    expect(responseUrlAllowed('not a url', 'http://127.0.0.1:9/api/')).toBe(false);
  });
});
