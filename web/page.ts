// Whole pages: the dashboard (server-rendered, complete without JavaScript: it refreshes itself
// every few seconds when scripts are off), one alert's page, and the login form. Styles and the
// script are files of their own (/dashboard/app.css, /dashboard/app.js): the Content-Security-
// Policy allows no inline script or style.
import type { Alert, AuditEntry } from '../src/model.js';
import { html, raw, type SafeHtml } from '../src/text/html.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { alertDetailFields, alertDetailMessage } from '../views/model/alerts.js';
import { alertRuns, playbookView, type PlaybookView } from '../views/model/playbook.js';
import type { ImosConfig } from '../src/config/types.js';
import { stamp, statusBadge } from './format.js';
import { VERSION } from '../src/version.js';
import { pageTitle, renderSections, type DashboardView, type SectionId } from './sections.js';

/** With scripts off, the page reloads itself this often. */
export const NOSCRIPT_REFRESH_S = 10;

export interface PageOptions {
  /** Whether a login protects the page (a logout button is shown). */
  auth: boolean;
}

function documentShell(title: string, root: string, head: SafeHtml, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${root}dashboard/app.css">
<link rel="icon" href="${root}dashboard/icon.svg" type="image/svg+xml">
${head}
</head>
<body>
${body}
</body>
</html>
`.value;
}

function logout(root: string, auth: boolean): SafeHtml {
  return auth ? html`<form method="post" action="${root}logout"><button type="submit">Log out</button></form>` : html``;
}

/** The dashboard from its sections (`renderSections`), as the server sends it. */
export function dashboardPage(view: DashboardView, sections: Record<SectionId, string>, options: PageOptions): string {
  const s = (id: SectionId) => raw(sections[id]);
  const card = (id: SectionId, wide = false) => html`<section id="${id}" class="card${wide ? ' wide' : ''}">${s(id)}</section>`;
  const head = html`<noscript><meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_S}"></noscript>
<script src="${view.root}dashboard/app.js" defer></script>`;
  const body = html`<header class="top">
<h1><span class="brand">imos ·</span> ${view.project}</h1>
<div class="meta" id="status">${s('status')}</div>
<div id="conn" class="conn" role="status" aria-live="polite">refreshes every ${NOSCRIPT_REFRESH_S} s</div>
</header>
<div id="notice">${s('notice')}</div>
<main>
${card('overview')}
${card('systems')}
${card('timeline')}
${card('alerts', true)}
${card('uptime')}
${card('incidents')}
${card('maintenance')}
</main>
<footer><span>imos ${VERSION}</span><a href="${view.root}api/status">status JSON</a><a href="${view.root}metrics">metrics</a>${logout(view.root, options.auth)}</footer>`;
  return documentShell(pageTitle(view), view.root, head, body);
}

/** The dashboard drawn at once (tests, and a page before the feed existed). */
export function renderDashboard(view: DashboardView, options: PageOptions): string {
  return dashboardPage(view, renderSections(view), options);
}

/** The login form: the token, once, sets a cookie for the browser. */
export function loginPage(options: { project: string; root: string; next: string; error: string | null }): string {
  const body = html`<main class="login card">
<h1>${options.project}</h1>
<p class="muted">This dashboard needs the access token (<code>server.auth.token</code>).</p>
<form method="post" action="${options.root}login">
<input type="hidden" name="next" value="${options.next}">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<button type="submit">Log in</button>
</form>
</main>`;
  return documentShell(`Log in · ${options.project} · imos`, options.root, html``, body);
}


/** The alert's playbook: who it brings together, the runbook (as text), the actions and how to run them. */
function playbookSection(p: PlaybookView | null, alertId?: string): SafeHtml {
  if (!p) return html``;
  return html`<h3>Playbook ${p.id}</h3>
${p.coordinated.length ? html`<p>Brought together: ${p.coordinated.join(', ')}</p>` : ''}
${p.runbook.length ? html`<p class="runbook">${p.runbook.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>` : ''}
${p.actions.length ? html`<ul class="plain">${p.actions.map((a) => html`<li>${a.title}: <code>${a.command}</code>${a.confirm ? html` <span class="muted">(asks for a phrase)</span>` : ''}</li>`)}</ul><p class="muted">Run them from the console (x) or <code>imos run ${alertId ?? 'ALERT'} ACTION</code>: the dashboard runs nothing.</p>` : ''}`;
}

/** One alert's page (the link in Slack and email notices): its facts and its history from the audit log. */
export function alertPage(options: {
  project: string;
  root: string;
  timezone: string;
  nowMs: number;
  alert: Alert | null;
  id: string;
  history: readonly AuditEntry[];
  auth: boolean;
  /** For the alert's playbook (its runbook, actions and who it brings together). */
  config?: Pick<ImosConfig, 'playbooks' | 'people' | 'systems'>;
}): string {
  const { alert, root } = options;
  const back = html`<p><a href="${root}dashboard">← the dashboard</a></p>`;
  if (!alert) {
    const body = html`<main class="login card"><h1>Alert ${options.id}</h1><p>No alert ${options.id} in this store (an id from another store, or a typo).</p>${back}</main>`;
    return documentShell(`Alert ${options.id} · ${options.project} · imos`, root, html``, body);
  }
  const fields = alertDetailFields(alert, options.nowMs, options.timezone);
  const history = options.history.map((e) => {
    const when = html`<span class="muted">${stamp(e.at, options.nowMs, options.timezone)}</span>`;
    // A playbook action's run: what ran, how it ended, and the last lines it printed.
    const run = alertRuns([e], alert.id, 1)[0];
    if (run) {
      return html`<li>${when} ${run.actor} ran ${run.action}: <code>${run.command}</code> <span class="muted">— ${run.summary}</span>${run.output.length ? html`<code class="output">${run.output.join('\n')}</code>` : ''}</li>`;
    }
    return html`<li>${when} ${sanitizeLine(e.actor, 40)} ${sanitizeLine(e.action, 20)}${e.note ? html` <span class="muted">“${sanitizeLine(e.note, 300)}”</span>` : ''}</li>`;
  });
  const body = html`<header class="top"><h1><span class="brand">imos ·</span> ${options.project}</h1><div class="meta">alert ${alert.id}</div></header>
<main>
<section class="card wide">
<h2><span>${statusBadge(alert.severity)} ${alert.id} · ${sanitizeLine(alert.system, 40)}</span><span class="count">${alert.state}</span></h2>
<p class="msg">${alertDetailMessage(alert)}</p>
<dl class="facts">${fields.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
${playbookSection(options.config ? playbookView(options.config, alert) : null, alert.id)}
<h3>History</h3>
${history.length ? html`<ul class="plain">${history}</ul>` : html`<p class="empty">nothing recorded</p>`}
${back}
</section>
</main>
<footer><span>imos ${VERSION}</span>${logout(root, options.auth)}</footer>`;
  return documentShell(`${alert.severity} ${alert.id} · ${options.project} · imos`, root, html`<noscript><meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_S * 3}"></noscript>`, body);
}
