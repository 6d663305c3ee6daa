// The dashboard's sections as HTML, each drawn from the view model the console uses
// (views/model): overview, systems, timeline, alert center, uptime, incident history, maintenance,
// and the header's status line. Every value goes through `html` (src/text/html.ts), which escapes
// it: text from monitored systems, standups and the matrix can never become markup. The server
// sends a section again only when its HTML changed.
import type { CheckStatus, Severity } from '../src/model.js';
import { alertPath } from '../src/dashboard-links.js';
import { html, type HtmlValue, type SafeHtml } from '../src/text/html.js';
import { alertAgeMs, alertStateText, escalationCountdownMs } from '../views/model/alerts.js';
import { clockTime } from '../views/model/format.js';
import { forecastText, phaseBarSegments, phaseFigures, timelineSummary, timelineTone } from '../views/model/timeline.js';
import { uptimeLabel } from '../views/model/uptime.js';
import { gatesSummary, phaseGateRows } from '../views/model/gates.js';
import type { ViewModel } from '../views/model/view-model.js';
import { age, stamp, statusBadge, timeTag } from './format.js';
import { sparkline } from './sparkline.js';

/** What every section is drawn from. */
export interface DashboardView {
  project: string;
  timezone: string;
  vm: ViewModel;
  /** Why the store could not be read (the page then shows the last state it had), or null. */
  problem: string | null;
  /** The path from the page to the server's root ('' for /dashboard), so links work behind a proxy's path prefix. */
  root: string;
}

/** The ids of the page's live parts, in page order; each is one element the browser's script replaces. */
export const SECTION_IDS = ['status', 'notice', 'overview', 'systems', 'timeline', 'alerts', 'uptime', 'incidents', 'maintenance'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

const SHORT: Record<Severity, string> = { CRITICAL: 'CRIT', HIGH: 'HIGH', MEDIUM: 'MED' };

function severity(s: Severity, short = false): SafeHtml {
  return statusBadge(s, short ? SHORT[s] : s);
}

function alertLink(view: DashboardView, id: string): SafeHtml {
  return html`<a href="${view.root}${alertPath(id).slice(1)}">${id}</a>`;
}

/** A schedule status as a badge class (the console's tones, views/model/timeline.ts). */
function timelineClass(status: string | null): CheckStatus {
  return ({ critical: 'CRITICAL', warn: 'MEDIUM', ok: 'ok', muted: 'pending' } as const)[timelineTone(status)];
}

function status(view: DashboardView): SafeHtml {
  const { vm, timezone } = view;
  const poll = vm.lastPollAt ? html` · last poll ${timeTag(vm.lastPollAt, vm.nowMs, timezone)}` : html` · no poll yet`;
  const paused = vm.paused ? html` · <strong>polling paused${vm.pausedBy ? html` by ${vm.pausedBy}` : ''}</strong>` : '';
  const updated = new Date(vm.nowMs).toISOString();
  // On a phone the header stays in view with the update time only; who polls, and when, move aside.
  return html`updated <time datetime="${updated}">${clockTime(vm.nowMs, timezone, true)}</time><span class="hide-narrow"> · poller: ${vm.holder}${poll}</span>${paused}`;
}

function notice(view: DashboardView): SafeHtml {
  const problems = [view.problem, view.vm.pollerAlarm && `Not watched: ${view.vm.pollerAlarm}`].filter((p): p is string => Boolean(p));
  return problems.length ? html`${problems.map((p) => html`<p class="banner" role="alert">${p}</p>`)}` : html``;
}

/** One line of the overview: its label, its value, and a sparkline where it has one. */
function figure(label: string, value: HtmlValue, spark: SafeHtml = html``): SafeHtml {
  return html`<dt>${label}</dt><dd>${value}</dd><dd class="spark-cell">${spark}</dd>`;
}

function overview(view: DashboardView): SafeHtml {
  const { vm, timezone } = view;
  const o = vm.overview;
  const standups = vm.standups;
  const counts = html`${statusBadge('CRITICAL', `${o.critical} CRIT`)} ${statusBadge('HIGH', `${o.high} HIGH`)} ${statusBadge('MEDIUM', `${o.medium} MED`)}`;
  return html`<h2>Overview</h2>
<dl class="figures">
${figure('Integration completion', o.completion, sparkline(o.completionHistory, 'completion', '%'))}
${figure('System connections', o.connections)}
${figure('Open alerts', counts, sparkline(o.alertHistory, 'open alerts, last 24 h'))}
${figure('High-priority tasks', o.highPriorityTasks === null ? '–' : `${o.highPriorityTasks} ready`)}
${figure('Timeline', html`<span class="sev s-${timelineClass(o.timeline)}">${o.timeline}</span>${o.timelineReason ? html` <span class="muted">— ${o.timelineReason}</span>` : ''}`)}
${figure('Forecast finish', o.forecast ?? '–')}
${figure('Checks passing', `${o.checksPassing}/${o.checksTotal}`)}
${gatesFigure(vm.gates)}
${figure('Standups today', `${o.standupsToday} · open blockers ${o.openBlockers}`)}
</dl>
<h3>Today’s standups</h3>
${
  standups.rows.length === 0
    ? html`<p class="empty">no standup yet today</p>`
    : html`<ul class="plain">${standups.rows.map(
        (s) =>
          html`<li>${statusBadge(s.blockers > 0 ? 'HIGH' : 'ok', s.blockers > 0 ? `${s.blockers} blocker${s.blockers === 1 ? '' : 's'}` : 'ok')} <strong>${s.system}</strong> <span class="muted">${s.author} · ${stamp(s.at, vm.nowMs, timezone)}</span><br><span class="msg">${s.done}${s.next ? html` → ${s.next}` : ''}</span></li>`,
      )}</ul>`
}
${standups.missing.length ? html`<p class="muted">○ no standup yet: ${standups.missing.join(', ')}</p>` : ''}`;
}

/** The quality gates in one line of the overview (none configured: no line). */
function gatesFigure(gates: ViewModel['gates']): SafeHtml {
  const summary = gatesSummary(gates);
  if (!summary) return html``;
  const cls = ({ ok: 'ok', warn: 'MEDIUM', critical: 'CRITICAL' } as const)[summary.tone];
  return figure('Quality gates', html`<span class="sev s-${cls}">${summary.text}</span>`);
}

/** A phase's gates: what moving it to done needs. */
function phaseGates(gates: ViewModel['gates'], phase: string): SafeHtml {
  const rows = phaseGateRows(gates, phase);
  if (rows.length === 0) return html``;
  const cls = { pass: 'ok', fail: 'CRITICAL', unknown: 'pending' } as const;
  return html`<ul class="plain gates">${rows.map((g) => html`<li>${statusBadge(cls[g.status], g.status)} <strong>${g.name}</strong> <span class="msg">${g.status === 'pass' ? '' : g.reason}</span></li>`)}</ul>`;
}

function systems(view: DashboardView): SafeHtml {
  const { vm, timezone } = view;
  const tiles = vm.systems.map(
    (s) => html`<div class="tile t-${s.status}">
<div class="row"><span class="name">${s.name}</span>${statusBadge(s.status)}</div>
<div class="id">${s.id} · leader ${s.leader}</div>
<div class="row"><span>checks ${s.passing}/${s.total}</span><span>${s.worstAlert ? html`${alertLink(view, s.worstAlert.id)} ${severity(s.worstAlert.severity, true)}` : html`<span class="muted">no alert</span>`}</span></div>
<div class="row"><span class="muted">last ${timeTag(s.lastCheckAt, vm.nowMs, timezone)}</span>${sparkline(s.latency, 'check duration', ' ms')}</div>
${s.failing.length ? html`<ul class="failing">${s.failing.slice(0, 3).map((c) => html`<li>${statusBadge(c.status)} <strong>${c.name}</strong> <span class="msg">${c.message}</span></li>`)}${s.failing.length > 3 ? html`<li class="muted">+${s.failing.length - 3} more</li>` : ''}</ul>` : ''}
</div>`,
  );
  return html`<h2>Systems <span class="count">${vm.systems.length} system${vm.systems.length === 1 ? '' : 's'}</span></h2>
${tiles.length ? html`<div class="tiles">${tiles}</div>` : html`<p class="empty">no systems configured</p>`}`;
}

function timeline(view: DashboardView): SafeHtml {
  const { vm } = view;
  const summary = timelineSummary(vm.plan, vm.overview.timeline);
  const phases = vm.phases.map((p) => {
    const x = (p.from * 100).toFixed(2);
    const w = Math.max(0.5, (p.to - p.from) * 100).toFixed(2);
    const seg = phaseBarSegments(p);
    const done = ((seg.doneTo - seg.from) * 100).toFixed(2);
    const gone = ((seg.elapsedTo - seg.from) * 100).toFixed(2);
    const today = (p.today * 100).toFixed(2);
    const word = p.status ?? p.state;
    return html`<div class="phase"><div class="head"><strong>${p.name}</strong><span><span class="sev s-${timelineClass(p.status ?? (p.state === 'finished' ? 'done' : null))}">${word}</span> <span class="muted">${phaseFigures(p)}</span></span></div>
<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${p.name}: ${phaseFigures(p)}"><rect class="span" x="${x}" y="2" width="${w}" height="6"/><rect class="gone" x="${x}" y="2" width="${gone}" height="6"/><rect class="done" x="${x}" y="2" width="${done}" height="6"/><line class="today" x1="${today}" x2="${today}" y1="0" y2="10"/></svg>${phaseGates(vm.gates, p.name)}</div>`;
  });
  return html`<h2>Timeline <span class="count">${vm.phases.length} phase${vm.phases.length === 1 ? '' : 's'}</span></h2>
<p><span class="sev s-${timelineClass(vm.plan?.status ?? null)}">${summary}</span></p>
<p class="muted">${forecastText(vm.plan)}</p>
${phases.length ? html`<p class="muted legend"><span class="key done"></span> done <span class="key gone"></span> time gone, not done <span class="key span"></span> to come <span class="key today"></span> today</p>` : ''}
${phases.length ? phases : html`<p class="empty">no phases configured</p>`}`;
}

/** Active alerts drawn as rows at most (the rest are counted): a page for people, not an export. */
export const ALERT_ROWS = 100;

function alerts(view: DashboardView): SafeHtml {
  const { vm, timezone } = view;
  const rows = vm.alerts.slice(0, ALERT_ROWS).map(
    (a) => html`<tr id="alert-${a.id}" class="a-${a.state}"><td class="nowrap">${severity(a.severity)}</td><td>${alertLink(view, a.id)}</td><td class="hide-narrow">${a.system}</td><td class="msg">${a.message}</td><td class="num" data-label="age">${age(alertAgeMs(a, vm.nowMs))}</td><td class="nowrap state">${alertStateText(a, vm.nowMs, timezone)}</td></tr>`,
  );
  const queue = vm.escalations.slice(0, 20).map(
    (e) => {
      const inMs = escalationCountdownMs(e, vm.nowMs);
      return html`<li>${severity(e.severity, true)} ${alertLink(view, e.id)} ${e.system} · level ${e.level + 1} ${inMs <= 0 ? html`<strong class="error">overdue ${age(-inMs)}</strong>` : html`in ${age(inMs)}`}</li>`;
    },
  );
  const actions = vm.actions.slice(0, 12).map(
    (r) => html`<li><span class="muted">${stamp(r.at, vm.nowMs, timezone)}</span> ${r.actor} ${r.action} ${r.target}${r.note ? html` <span class="muted">“${r.note}”</span>` : ''}</li>`,
  );
  return html`<h2>Alert center <span class="count">${vm.alertsTotal} active</span></h2>
${
  rows.length
    ? html`<table><thead><tr><th>severity</th><th>id</th><th class="hide-narrow">system</th><th>message</th><th class="num">age</th><th>state</th></tr></thead><tbody>${rows}</tbody></table>${
        vm.alerts.length > ALERT_ROWS ? html`<p class="muted">+${vm.alerts.length - ALERT_ROWS} more (the least severe and newest): <code>imos alerts</code> or <a href="${view.root}api/alerts">api/alerts</a> lists them all</p>` : ''
      }`
    : html`<p>${statusBadge('ok', 'no active alerts')}</p>`
}
<h3>Escalation queue ${vm.escalations.length}</h3>
${queue.length ? html`<ul class="plain">${queue}</ul>` : html`<p class="empty">nothing waiting to escalate</p>`}
<h3>Recent actions</h3>
${actions.length ? html`<ul class="plain">${actions}</ul>` : html`<p class="empty">no actions yet</p>`}`;
}

function uptime(view: DashboardView): SafeHtml {
  const rows = view.vm.uptime.map(
    (u) => html`<tr><td>${statusBadge(u.status, u.status === 'pending' ? 'pending' : u.status)}</td><td class="grow">${u.name}<br><span class="muted">${u.system}</span></td><td class="num" data-label="24 h" title="${u.day.ok}/${u.day.total} runs">${uptimeLabel(u.day)}</td><td class="num" data-label="7 d" title="${u.week.ok}/${u.week.total} runs">${uptimeLabel(u.week)}</td><td class="num" data-label="30 d" title="${u.month.ok}/${u.month.total} runs">${uptimeLabel(u.month)}</td></tr>`,
  );
  return html`<h2>Uptime <span class="count">passing runs</span></h2>
${rows.length ? html`<table><thead><tr><th>now</th><th>check</th><th class="num">24 h</th><th class="num">7 d</th><th class="num">30 d</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">no checks configured</p>`}`;
}

function incidents(view: DashboardView): SafeHtml {
  const { vm, timezone } = view;
  const items = vm.incidents.map(
    (i) => html`<li>${severity(i.severity, true)} ${alertLink(view, i.id)} <strong>${i.system}</strong> <span class="msg">${i.message}</span><br>
<span class="muted">resolved ${timeTag(i.resolvedAt, vm.nowMs, timezone)} after ${age(i.durationMs)} · ${i.acknowledgedBy ? `acknowledged by ${i.acknowledgedBy}` : 'not acknowledged'} · ${i.resolvedBy ? `resolved by ${i.resolvedBy}` : 'recovered by itself'}</span>
${i.notes.length ? html`<ul class="notes">${i.notes.map((n) => html`<li>${n.actor} (${n.action}, ${stamp(n.at, vm.nowMs, timezone)}): ${n.text}</li>`)}</ul>` : ''}</li>`,
  );
  return html`<h2>Incident history <span class="count">last 30 days</span></h2>
${items.length ? html`<ul class="plain">${items}</ul>` : html`<p class="empty">no incidents in the last 30 days</p>`}`;
}

function maintenance(view: DashboardView): SafeHtml {
  const items = view.vm.maintenance.map(
    (m) => html`<li>${m.active ? statusBadge('MEDIUM', 'in maintenance') : statusBadge('pending', m.when)} <strong>${m.name}</strong> · ${m.systems.length ? m.systems.join(', ') : 'every system'}<br><span class="muted">${m.schedule}</span></li>`,
  );
  return html`<h2>Maintenance <span class="count">notifications held</span></h2>
${items.length ? html`<ul class="plain">${items}</ul>` : html`<p class="empty">no maintenance windows</p>`}`;
}

const RENDER: Record<SectionId, (view: DashboardView) => SafeHtml> = { status, notice, overview, systems, timeline, alerts, uptime, incidents, maintenance };

/** Every section's inner HTML, by id. */
export function renderSections(view: DashboardView): Record<SectionId, string> {
  const out = {} as Record<SectionId, string>;
  for (const id of SECTION_IDS) out[id] = RENDER[id](view).value;
  return out;
}

/** The browser tab's title: the project, with the count of open CRITICAL alerts first when there are any. */
export function pageTitle(view: Pick<DashboardView, 'project' | 'vm'>): string {
  const critical = view.vm.overview.critical;
  return `${critical > 0 ? `(${critical} CRITICAL) ` : ''}${view.project} · imos`;
}
