// The dashboard drawn on the server, without a browser: what it shows, that nothing from the data
// becomes markup, and what it weighs.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { ConsoleData } from '../views/model/data.js';
import { createViewModel, EMPTY_DATA } from '../views/model/view-model.js';
import { alert, hotelConfig, hotelCore, hotelGates, hotelResults, NOW } from '../views/testing/fixtures.js';
import { renderSections } from './sections.js';
import { statusBadgeSvg } from './badge.js';
import { dashboardScript } from './client.js';
import { alertPage, loginPage, renderDashboard } from './page.js';
import type { DashboardView } from './sections.js';
import { DASHBOARD_CSS } from './styles.js';

const EVIL = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><a href="javascript:window.__pwned=3">x</a>`;
const none = { filters: {}, detailSystem: null, alertDetail: null };
const options = { auth: false };

function view(data: ConsoleData | null, config = hotelConfig()): DashboardView {
  return { project: config.project, timezone: config.timezone, vm: createViewModel()(config, data, none, NOW), problem: null, root: '' };
}

function hotelData(): ConsoleData {
  const core = hotelCore();
  core.alerts.push(alert('A9', 'HIGH', 'hotel-pms', `body: ${EVIL}`, 60_000));
  core.standups = [
    { id: 'S-2025-01-29-hotel-pms', system: 'hotel-pms', date: '2025-01-29', author: 'luna', done: EVIL, next: 'javascript:alert(1)', blockers: [], at: new Date(NOW - 60_000).toISOString(), history: [] },
  ];
  return { core, results: hotelResults(), lease: { holder: null }, audit: [], plan: null };
}

/** Every tag and attribute of a page: only these may appear, and no attribute carries script. */
const TAGS = new Set(
  'html head meta title link script noscript body header h1 h2 h3 div main section p span strong a time dl dt dd ul li table thead tbody tr th td svg title polyline rect line footer form input label button code br'.split(' '),
);

function markupProblems(page: string): string[] {
  const problems: string[] = [];
  for (const m of page.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const [, tag, attrs] = m;
    if (!TAGS.has(tag!.toLowerCase())) problems.push(`tag <${tag}>`);
    for (const a of attrs!.matchAll(/([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      if (/^on/i.test(a[1]!)) problems.push(`handler ${a[0]}`);
      if (/^["']?\s*javascript:/i.test(a[2]!)) problems.push(`script URL ${a[0]}`);
    }
    if (tag!.toLowerCase() === 'script' && !/src="dashboard\/app\.js"/.test(attrs!)) problems.push(`inline script ${m[0]}`);
  }
  return problems;
}

describe('the dashboard page (server-side)', () => {
  it('shows the project, the four systems, the alerts with their state, the timeline, uptime, incidents and maintenance', () => {
    const page = renderDashboard(view(hotelData()), options);
    expect(page).toContain('<title>(1 CRITICAL) Hotel integration · imos</title>');
    for (const name of ['Unified platform', 'Members (FastAPI)', 'PMS', 'Orders SaaS']) expect(page).toContain(name);
    for (const id of ['A1', 'A2', 'A3', 'A4']) expect(page).toContain(`<a href="dashboard/alerts/${id}">${id}</a>`);
    expect(page).toContain('ack sun');
    expect(page).toMatch(/✖ CRITICAL/);
    expect(page).toContain('Phase 2: system connections');
    for (const title of ['Overview', 'Systems', 'Timeline', 'Alert center', 'Uptime', 'Incident history', 'Maintenance']) expect(page).toContain(`<h2>${title}`);
    // Without JavaScript it reloads itself; with it, the script takes over.
    expect(page).toContain('<noscript><meta http-equiv="refresh" content="10"></noscript>');
    expect(page).toContain('<script src="dashboard/app.js" defer></script>');
    expect(page).toContain('<link rel="stylesheet" href="dashboard/app.css">');
  });

  it('the alert center: active alerts by severity with age, state and who acknowledged; the escalation queue; recent actions', () => {
    const data = hotelData();
    data.audit = [{ at: new Date(NOW - 120_000).toISOString(), actor: 'sun', action: 'ack', target: 'A3', note: 'on <it>' }];
    const { alerts } = renderSections(view(data));
    // Most severe first, then oldest; each row's severity has its glyph and word, its age and its state.
    expect([...alerts.matchAll(/<tr id="alert-(A\d+)"/g)].map((m) => m[1])).toEqual(['A2', 'A1', 'A4', 'A9', 'A3']);
    expect(alerts).toContain('<tr id="alert-A2" class="a-open"><td class="nowrap"><span class="sev s-CRITICAL">✖ CRITICAL</span></td><td><a href="dashboard/alerts/A2">A2</a></td><td class="hide-narrow">hotel-common</td><td class="msg">pending-migrations: 2 pending migrations</td><td class="num" data-label="age">20m</td><td class="nowrap state">esc in 10m</td></tr>');
    expect(alerts).toMatch(/<tr id="alert-A3" class="a-acknowledged">.*<td class="num" data-label="age">2h<\/td><td class="nowrap state">ack sun<\/td><\/tr>/);
    expect(alerts).toMatch(/<h3>Escalation queue 1<\/h3>\s*<ul class="plain"><li><span class="sev s-CRITICAL">✖ CRIT<\/span> <a href="dashboard\/alerts\/A2">A2<\/a> hotel-common · level 1 in 10m<\/li><\/ul>/);
    expect(alerts).toMatch(/<h3>Recent actions<\/h3>\s*<ul class="plain"><li><span class="muted">09:58<\/span> sun ack A3 <span class="muted">“on &lt;it&gt;”<\/span><\/li><\/ul>/);
  });

  it('the incident history (duration, who acknowledged and resolved, the notes, escaped) and the maintenance windows (now, coming, recurring)', () => {
    const data = hotelData();
    const HOUR = 3_600_000;
    data.core.alerts = [
      ...data.core.alerts,
      alert('A7', 'CRITICAL', 'hotel-pms', 'pms-api: 503', 5 * HOUR, { state: 'resolved', resolvedAt: new Date(NOW - 4 * HOUR).toISOString(), acknowledgedBy: 'luna', acknowledgedAt: new Date(NOW - 4.5 * HOUR).toISOString() }),
      alert('A8', 'HIGH', 'hotel-saas', 'backlog', 2 * HOUR, { state: 'resolved', resolvedAt: new Date(NOW - HOUR).toISOString() }),
    ];
    data.audit = [{ at: new Date(NOW - 4.2 * HOUR).toISOString(), actor: 'luna', action: 'note', target: 'A7', note: `disk full ${EVIL}` }];
    const config = hotelConfig({
      timezone: 'UTC',
      maintenance: [
        { name: 'nightly batch', systems: ['hotel-saas'], weekly: { days: ['mon', 'wed'], from: '23:00', to: '01:00' } },
        { name: 'PMS upgrade', systems: ['hotel-pms'], start: '2025-02-01T22:00', end: '2025-02-02T02:00' },
        { name: 'DB move', systems: [], start: '2025-01-29T00:00', end: '2025-01-29T02:00' },
      ],
    });
    const { incidents, maintenance } = renderSections(view(data, config));
    expect(incidents).toMatch(/<li><span class="sev s-HIGH">◆ HIGH<\/span> <a href="dashboard\/alerts\/A8">A8<\/a> <strong>hotel-saas<\/strong> <span class="msg">backlog<\/span><br>\s*<span class="muted">resolved <time datetime="[^"]+">00:00<\/time> after 1h · not acknowledged · recovered by itself<\/span>/);
    expect(incidents).toMatch(/A7<\/a>[\s\S]*after 1h · acknowledged by luna · recovered by itself[\s\S]*<ul class="notes"><li>luna \(note, 01-28 20:48\): disk full &lt;script&gt;/);
    expect(incidents.indexOf('A8')).toBeLessThan(incidents.indexOf('A7'));
    expect(markupProblems(incidents)).toEqual([]);
    expect(maintenance).toContain('<li><span class="sev s-MEDIUM">▲ in maintenance</span> <strong>DB move</strong> · every system<br><span class="muted">2025-01-29T00:00 → 2025-01-29T02:00 UTC</span></li>');
    expect(maintenance).toContain('<li><span class="sev s-pending">○ upcoming</span> <strong>PMS upgrade</strong> · hotel-pms<br>');
    expect(maintenance).toContain('<li><span class="sev s-pending">○ recurring</span> <strong>nightly batch</strong> · hotel-saas<br><span class="muted">mon, wed 23:00–01:00 UTC</span></li>');
  });

  it('uptime per check over 24 h, 7 d and 30 d from its hourly and daily counts, each figure labelled for a phone', () => {
    const data = hotelData();
    const hour = (back: number) => new Date(Math.floor(NOW / 3_600_000) * 3_600_000 - back * 3_600_000).toISOString();
    data.results = {
      ...data.results,
      uptime: [
        { id: 'member-api@hours', checkId: 'member-api', hour: hour(0), ok: [119], total: [120] },
        // two days back, and ten
        { id: 'member-api@days', checkId: 'member-api', hour: `${hour(48).slice(0, 10)}T00:00:00.000Z`, ok: [0, 0, 0, 0, 0, 0, 0, 0, 120], total: [120, 0, 0, 0, 0, 0, 0, 0, 120], hours: 24 },
      ],
    };
    const { uptime } = renderSections(view(data));
    expect(uptime).toContain('<th class="num">24 h</th><th class="num">7 d</th><th class="num">30 d</th>');
    expect(uptime).toContain(
      '<td class="grow">member-api<br><span class="muted">hotel-member</span></td><td class="num" data-label="24 h" title="119/120 runs">99.17%</td><td class="num" data-label="7 d" title="119/240 runs">49.6%</td><td class="num" data-label="30 d" title="239/360 runs">66.4%</td>',
    );
    // A check that never ran says so rather than showing 100 %.
    expect(uptime).toMatch(/unified-db<br>.*?data-label="24 h" title="0\/0 runs">–</);
  });

  it('draws sparklines of completion (overview) and of each system’s check durations, and the timeline’s forecast', () => {
    const sections = renderSections(view(hotelData()));
    expect(sections.overview).toMatch(/<dt>Integration completion<\/dt><dd>85% \(11\/13 tables\)<\/dd><dd class="spark-cell"><svg class="spark"[^>]*aria-label="completion: 62–85%"><title>completion: 62–85%<\/title><polyline points="0\.0,19\.0 [^"]+"\/><\/svg><\/dd>/);
    const tiles = sections.systems.split('<div class="tile ').slice(1);
    expect(tiles).toHaveLength(4);
    for (const tile of tiles) expect(tile).toMatch(/<svg class="spark"[^>]*aria-label="check duration: \d+–\d+ ms"><title>[^<]+<\/title><polyline points="[^"]+"\/><\/svg>/);
    expect(sections.timeline).toContain('<p class="muted">forecast: needs the matrix and a few days of history</p>');
  });

  it('turns nothing from monitored systems, standups or names into markup: no tag, handler or script URL of theirs', () => {
    const config = hotelConfig({ project: `Hotel ${EVIL}` });
    const page = renderDashboard(view(hotelData(), config), options);
    expect(markupProblems(page)).toEqual([]);
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
    expect(page).not.toContain('<script>window');
  });

  it('shows the quality gates in the overview and under the phase they guard', () => {
    const sections = renderSections(view(hotelData(), hotelConfig({ gates: hotelGates() })));
    expect(sections.overview).toContain('<dt>Quality gates</dt><dd><span class="sev s-CRITICAL">1/2 pass · ✖ code-quality</span></dd>');
    expect(sections.timeline).toMatch(/Phase 1: unified database[\s\S]*<span class="sev s-CRITICAL">✖ fail<\/span> <strong>TypeScript errors 0<\/strong> <span class="msg">saas-typescript MEDIUM: 12 errors<\/span>/);
    expect(renderSections(view(hotelData())).overview).not.toContain('Quality gates');
  });

  it('says so when the store cannot be read, and still draws before any data', () => {
    const page = renderDashboard({ ...view(null), problem: `store unavailable: ${EVIL}` }, options);
    expect(page).toContain('<p class="banner" role="alert">store unavailable: &lt;script&gt;');
    expect(markupProblems(page)).toEqual([]);
  });

  it('draws at most 100 active alerts as rows and counts the rest (a page for people, not an export)', () => {
    const data = hotelData();
    data.core.alerts = Array.from({ length: 250 }, (_, i) => alert(`A${i + 1}`, 'HIGH', 'hotel-pms', `problem ${i + 1}`, 60_000 + i));
    const page = renderDashboard(view(data), options);
    expect(page.match(/<tr id="alert-/g)).toHaveLength(100);
    expect(page).toContain('+150 more');
    expect(page).toContain('250 active');
  });

  it('weighs at most 100 KB before data: HTML, script and styles together; the README states the weight as served', () => {
    const shell = renderDashboard(view(EMPTY_DATA, hotelConfig({ checks: [], systems: {}, phases: [] })), options);
    const weight = Buffer.byteLength(shell) + Buffer.byteLength(dashboardScript()) + Buffer.byteLength(DASHBOARD_CSS);
    expect(weight).toBeLessThanOrEqual(100 * 1024);
    // The build minifies the script (esbuild, as here); the page and the styles are served as they are.
    const served = Buffer.byteLength(shell) + Buffer.byteLength(transformSync(dashboardScript(), { minify: true }).code) + Buffer.byteLength(DASHBOARD_CSS);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const stated = /\*\*Page weight before data: ([\d.]+) KB\*\* \(HTML\s+([\d.]+) KB \+ script ([\d.]+) KB \+ styles ([\d.]+) KB/.exec(readme);
    expect(stated, 'the README states the page weight').not.toBeNull();
    const [total, ...parts] = stated!.slice(1).map(Number);
    expect(Math.abs(total! - served / 1024), `README says ${total} KB, the page weighs ${(served / 1024).toFixed(1)} KB`).toBeLessThanOrEqual(0.05 * (served / 1024));
    expect(Math.abs(parts.reduce((a, b) => a + b, 0) - total!)).toBeLessThanOrEqual(0.15);
  });

  it('needs nothing from another server (no CDN, works on a closed network): every link and source is relative, the styles load nothing', () => {
    const page = renderDashboard(view(hotelData()), options);
    const refs = [...page.matchAll(/\b(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs).toContain('dashboard/app.js');
    expect(refs).toContain('dashboard/app.css');
    for (const ref of refs) expect(ref, ref).not.toMatch(/^(?:[a-z][\w+.-]*:|\/\/)/i);
    expect(DASHBOARD_CSS).not.toMatch(/@import|url\(/i);
    expect(dashboardScript()).not.toMatch(/https?:\/\/|\bimport\b/);
  });

  it('serves its script as one self-contained function the browser can parse', () => {
    const script = dashboardScript();
    expect(() => new Function(script)).not.toThrow();
    expect(script).not.toMatch(/__vite|__name|require\(|import\(/);
  });

  it('an alert page: its facts and history, escaped; an unknown id says so', () => {
    const a = alert('A9', 'HIGH', 'hotel-pms', EVIL, 60_000, { state: 'acknowledged', acknowledgedBy: 'luna', acknowledgedAt: new Date(NOW).toISOString(), ackNote: EVIL });
    const history = [{ at: new Date(NOW).toISOString(), actor: 'luna', action: 'ack', target: 'A9', note: EVIL }];
    const page = alertPage({ project: 'Hotel', root: '../../', timezone: 'UTC', nowMs: NOW, alert: a, id: 'A9', history, auth: true });
    expect(page).toContain('acknowledged');
    expect(page).toContain('<a href="../../dashboard">');
    expect(page).toContain('<form method="post" action="../../logout">');
    expect(markupProblems(page.replace('<script src="dashboard/app.js" defer></script>', ''))).toEqual([]);
    expect(alertPage({ project: 'Hotel', root: '../../', timezone: 'UTC', nowMs: NOW, alert: null, id: 'A77', history: [], auth: false })).toContain('No alert A77');
  });

  it('an alert page shows its playbook: the runbook as text, the actions, who is brought together; escaped', () => {
    const a = alert('A9', 'HIGH', 'hotel-pms', 'lag 12s', 60_000, { checkId: 'reservation-sync', type: 'DATA_SYNC_FAILURE' });
    const config = {
      people: { luna: { id: 'luna', name: 'Luna <b>' } },
      systems: { 'hotel-pms': { id: 'hotel-pms', name: 'PMS', leader: 'luna', depends_on: [] } },
      playbooks: [
        {
          id: 'sync-recovery',
          alertTypes: ['DATA_SYNC_FAILURE'],
          checks: [],
          coordinate: ['leader'],
          runbook: '## Sync behind\n- Check **the PMS** <script>x</script>',
          actions: [{ id: 'recover', title: 'Re-run the sync', run: ['./recover.sh', '{source}'], cwd: '/tmp', env: {}, timeoutMs: 1000, confirm: 'go', allow: ['leader'], overlap: false, keepLines: 10, args: [{ name: 'source', choices: ['pms'], default: 'pms' }] }],
          allowSlackActions: false,
        },
      ],
    };
    const page = alertPage({ project: 'Hotel', root: '../../', timezone: 'UTC', nowMs: NOW, alert: a, id: 'A9', history: [], auth: false, config });
    expect(page).toContain('<h3>Playbook sync-recovery</h3>');
    expect(page).toContain('Brought together: Luna &lt;b&gt;');
    expect(page).toContain('SYNC BEHIND<br>• Check the PMS &lt;script&gt;x&lt;/script&gt;');
    expect(page).toContain('Re-run the sync: <code>./recover.sh pms</code>');
    expect(page).toContain('imos run A9 ACTION');
    expect(markupProblems(page.replace('<script src="dashboard/app.js" defer></script>', ''))).toEqual([]);
  });

  it("an alert page's history shows each action run: who, what ran, how it ended, its last output; escaped", () => {
    const a = alert('A9', 'HIGH', 'hotel-pms', 'lag 12s', 60_000);
    const run = {
      at: new Date(NOW - 60_000).toISOString(),
      actor: 'luna',
      action: 'action-run',
      target: 'A9',
      note: 'exit 0 after 1.2s',
      detail: { playbook: 'sync-recovery', action: 'recover', command: ['sh', './scripts/recover-sync.sh', 'pms'], outcome: 'succeeded', exitCode: 0, durationMs: 1200, output: `behind by 600 s\n${EVIL}\ncaught up` },
    };
    const page = alertPage({ project: 'Hotel', root: '../../', timezone: 'UTC', nowMs: NOW, alert: a, id: 'A9', history: [run], auth: false });
    expect(page).toContain('luna ran sync-recovery.recover: <code>sh ./scripts/recover-sync.sh pms</code> <span class="muted">— exit 0 after 1.2s</span>');
    expect(page).toContain('<code class="output">behind by 600 s\n&lt;script&gt;');
    expect(page).toContain('caught up</code>');
    expect(markupProblems(page.replace('<script src="dashboard/app.js" defer></script>', ''))).toEqual([]);
  });

  it('the login form keeps where to go next, escaped', () => {
    const page = loginPage({ project: 'Hotel', root: '', next: `dashboard"><script>`, error: 'wrong token' });
    expect(page).toContain('value="dashboard&quot;&gt;&lt;script&gt;"');
    expect(page).toContain('wrong token');
  });

  it('a badge names the system and its status with glyph and colour, escaped', () => {
    const svg = statusBadgeSvg('hotel-<pms>', 'CRITICAL');
    expect(svg).toContain('hotel-&lt;pms&gt;: CRITICAL');
    expect(svg).toContain('✖ CRITICAL');
    expect(svg).toContain('#cf222e');
    expect(svg).not.toMatch(/<script|on\w+=/);
    expect(statusBadgeSvg('x', 'pending')).toContain('○ no data');
  });
});
