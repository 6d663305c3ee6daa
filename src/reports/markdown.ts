// Reports as Markdown that renders well on a Git host: headings, tables, Mermaid charts (a gantt
// of the phases, a completion line). Pure: report data → text.
import type { DailyReport } from './daily.js';
import type { WeeklyReport } from './weekly.js';
import type { TaskView } from '../plan/figures.js';
import type { AlertBrief } from './today.js';
import { addDays, localMinutes } from '../time/dates.js';
import { formatDuration } from '../text/durations.js';
import type { TimelineReport } from '../plan/timeline.js';
import { sanitizeLine } from '../text/sanitize.js';

/** A table cell: one line, no pipes breaking the table. */
const cell = (v: unknown): string => {
  const s = sanitizeLine(v === null || v === undefined || v === '' ? '–' : String(v), 300);
  return s.replace(/\|/g, '\\|');
};

function mdTable(header: string[], rows: unknown[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** HH:MM of an instant in the report's timezone. */
const hm = (iso: string, timeZone: string): string => {
  const m = localMinutes(Date.parse(iso), timeZone);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

function taskTable(tasks: TaskView[]): string {
  return mdTable(
    ['#', 'Task', 'Priority', 'System', 'Assignee', 'Estimate', 'Due'],
    tasks.map((t, i) => [i + 1, `${t.id} ${t.title}`, t.priority, t.system, t.assignee, t.estimateDays === null ? '–' : `${t.estimateDays}d`, t.due]),
  );
}

function alertList(title: string, list: AlertBrief[]): string[] {
  if (!list.length) return [];
  return [`**${title}** (${list.length})`, '', ...list.map((a) => `- ${a.id} · ${a.severity} · ${a.system} · ${cell(a.message)}`), ''];
}

/** Mermaid gantt of the phases: done, active or critical (Delayed) by their status. */
export function ganttChart(tl: TimelineReport, title: string): string {
  // `:` `;` `#` end a gantt task's name, and `%%` starts a comment anywhere on a line (the rest of
  // a phase named "Phase 2 %% ops" was dropped).
  const label = (s: string) => s.replace(/[:;#]/g, ' ').replace(/%{2,}/g, '%').replace(/\s+/g, ' ').trim();
  const lines = ['```mermaid', 'gantt', `  title ${label(title)}`, '  dateFormat YYYY-MM-DD', '  axisFormat %m-%d'];
  tl.phases.forEach((p, i) => {
    const tags = [p.percent >= 100 ? 'done' : p.status === 'Delayed' ? 'crit' : p.elapsedPercent > 0 && p.elapsedPercent < 100 ? 'active' : null].filter(Boolean);
    lines.push(`  section ${label(p.name)}`);
    lines.push(`  ${label(`${p.status} ${p.percent}%`)} :${[...tags, `p${i + 1}`].join(', ')}, ${p.start}, ${addDays(p.end, 1)}`);
  });
  lines.push('```');
  return lines.join('\n');
}

/** Mermaid xychart of overall completion per day. */
export function completionLine(points: Array<{ date: string; overall: number | null }>): string {
  const known = points.filter((p) => p.overall !== null);
  if (known.length === 0) return '_No completion history for this period._';
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Overall completion (%)"',
    `  x-axis [${known.map((p) => `"${p.date.slice(5)}"`).join(', ')}]`,
    '  y-axis "%" 0 --> 100',
    `  line [${known.map((p) => p.overall).join(', ')}]`,
    '```',
  ].join('\n');
}

export function dailyMarkdown(r: DailyReport): string {
  const out: string[] = [`# ${cell(r.project)} — daily report ${r.date}`, '', `_Day ${r.date} (${r.timezone}), from the store and the integration matrix._`, ''];
  const c = r.completion;
  out.push('## Summary', '');
  out.push(
    mdTable(
      ['', 'Figure'],
      [
        ['Tables', `${c.end.tables}${c.start.at ? ` (start of day: ${c.start.tables})` : ''}`],
        ['Systems', `${c.end.systems}${c.start.at ? ` (start of day: ${c.start.systems})` : ''}`],
        ['Completion change', c.change === null ? '–' : `${c.change >= 0 ? '+' : ''}${c.change} points`],
        ['Checks', `${r.checks.total} checks, ${r.checks.runs} runs, ${r.checks.failing.length} failing`],
        ['Alerts', `${r.alerts.opened.length} opened, ${r.alerts.acknowledged.length} acknowledged, ${r.alerts.escalated.length} escalated, ${r.alerts.resolved.length} resolved`],
        ['MTTA / MTTR', `${formatDuration(r.alerts.response.mttaMs, 'minutes')} / ${formatDuration(r.alerts.response.mttrMs, 'minutes')}`],
        ['Standups', `${r.standups.length} reported, ${r.missingStandups.length} missing`],
        ['Open blockers', r.blockers.length],
      ],
    ),
    '',
  );
  out.push('## Checks', '');
  if (r.checks.list.length === 0) out.push('_No check results stored._', '');
  else
    out.push(
      mdTable(
        ['Check', 'System', 'Kind', 'Runs', 'Worst', 'Last', 'Last value'],
        r.checks.list.map((k) => [k.id, k.system, k.kind, k.runs, k.worst ?? '–', k.last?.status ?? '–', k.last?.value ?? '–']),
      ),
      '',
    );
  out.push('## Alerts', '');
  const alertLines = [
    ...alertList('Opened', r.alerts.opened),
    ...alertList('Acknowledged', r.alerts.acknowledged),
    ...alertList('Escalated', r.alerts.escalated),
    ...alertList('Resolved', r.alerts.resolved),
  ];
  out.push(...(alertLines.length ? alertLines : ['_No alert activity._', '']));
  out.push(`MTTA ${formatDuration(r.alerts.response.mttaMs, 'minutes')} · MTTR ${formatDuration(r.alerts.response.mttrMs, 'minutes')} (alerts opened this day: ${r.alerts.response.count})`, '');
  out.push('## Actions run', '');
  if (r.actions.length === 0) out.push('_No playbook action was run._', '');
  for (const run of r.actions) {
    const code = run.exitCode === null ? run.outcome : `exit ${run.exitCode}`;
    out.push(
      `### ${hm(run.startedAt, r.timezone)} ${cell(run.playbook)}.${cell(run.action)} for ${cell(run.alertId)} — ${cell(run.actor)}, ${code}, ${formatDuration(run.durationMs, 'exact')}`,
      '',
      `\`${run.command.join(' ').replace(/`/g, "'")}\``,
      '',
    );
    if (run.output) out.push('```', ...run.output.split('\n').map((l) => l.replace(/^```/, "'''")), '```', '');
  }
  out.push('## Standups', '');
  for (const s of r.standups) {
    out.push(`### ${s.system} — ${cell(s.author)}, ${hm(s.at, r.timezone)}${s.edits ? ` (edited ${s.edits}×)` : ''}`, '', `- **Done:** ${cell(s.done)}`, `- **Next:** ${cell(s.next)}`);
    if (s.blockers.length) out.push(`- **Blockers:** ${s.blockers.join(', ')}`);
    out.push('');
  }
  if (r.missingStandups.length) out.push(`**Missing:** ${r.missingStandups.join(', ')}`, '');
  out.push('## Blockers', '');
  if (r.blockers.length === 0) out.push('_None open at the end of the day._', '');
  else
    out.push(
      mdTable(
        ['Blocker', 'System', 'Open for', 'Waits on', 'Text'],
        r.blockers.map((b) => [b.id, b.system, formatDuration(b.ageMs, 'minutes'), b.waitsOn ? `${b.waitsOn.kind} ${b.waitsOn.id}` : '–', b.text]),
      ),
      '',
    );
  if (r.dependencyIssues.length) {
    out.push('### Dependency issues', '', ...r.dependencyIssues.map((d) => `- ${d.system} ← ${d.dependsOn}: ${cell(d.reason)}`), '');
  }
  out.push('## Priorities', '');
  out.push(r.priorities.length ? taskTable(r.priorities) : '_No task is ready._', '');
  return out.join('\n');
}

export function weeklyMarkdown(r: WeeklyReport): string {
  const out: string[] = [`# ${cell(r.project)} — weekly report ${r.week.from} → ${r.week.to}`, '', `_Week ${r.week.from} → ${r.week.to} (${r.timezone}), from the store and the integration matrix._`, ''];
  const c = r.completion;
  out.push('## Completion', '');
  out.push(
    mdTable(
      ['', 'Start of week', 'End of week'],
      [
        ['Tables', c.start.tables, c.end.tables],
        ['Systems', c.start.systems, c.end.systems],
        ['Tasks', c.start.tasks, c.end.tasks],
        ['Overall', c.start.overall === null ? '–' : `${c.start.overall}%`, c.end.overall === null ? '–' : `${c.end.overall}%`],
      ],
    ),
    '',
    `Change: ${c.change === null ? '–' : `${c.change >= 0 ? '+' : ''}${c.change} points`}`,
    '',
    completionLine(c.days),
    '',
  );
  out.push('### Matrix changes', '');
  out.push(r.matrixChanges.length ? mdTable(['When (UTC)', 'Item', 'From', 'To', 'By'], r.matrixChanges.map((m) => [m.at.slice(0, 16).replace('T', ' '), m.item, m.from, m.to, m.actor])) : '_No status changes recorded._', '');
  out.push('## Timeline', '');
  if (!r.timeline || r.timeline.phases.length === 0) out.push('_No phases configured._', '');
  else {
    const tl = r.timeline;
    out.push(
      mdTable(
        ['Phase', 'Dates', 'Done', 'Status', 'Why'],
        [
          ...tl.phases.map((p) => [p.name, `${p.start} → ${p.end}`, `${p.done}/${p.total}`, p.status, p.reason]),
          ...(tl.project ? [[tl.project.name, `${tl.project.start} → ${tl.project.end}`, `${tl.project.done}/${tl.project.total}`, tl.project.status, tl.project.reason]] : []),
        ],
      ),
      '',
    );
    if (tl.project) {
      const f = tl.project.forecast;
      out.push(f.finish ? `**Forecast finish:** ${f.finish}${f.late ? ' — after the planned end' : ''} (${f.basis})` : `**Forecast:** ${f.basis}`, '');
    }
    out.push(ganttChart(tl, `${r.project} phases`), '');
  }
  out.push('## Alerts', '');
  out.push(
    `${r.alerts.opened.length} opened, ${r.alerts.acknowledged.length} acknowledged, ${r.alerts.escalated.length} escalated, ${r.alerts.resolved.length} resolved · MTTA ${formatDuration(r.alerts.response.mttaMs, 'minutes')} · MTTR ${formatDuration(r.alerts.response.mttrMs, 'minutes')}`,
    '',
  );
  out.push('### MEDIUM alerts of the week', '');
  out.push(r.mediumAlerts.length ? mdTable(['Alert', 'System', 'State', 'Opened (UTC)', 'Message'], r.mediumAlerts.map((a) => [a.id, a.system, a.state, a.openedAt.slice(0, 16).replace('T', ' '), a.message])) : '_None._', '');
  out.push('## Quality gates', '');
  const mark = { pass: '✅ pass', fail: '❌ fail', unknown: '– not known' } as const;
  out.push(
    r.qualityGates.length
      ? mdTable(
          ['Gate', 'Level', 'Asks', 'Status', 'Evidence'],
          r.qualityGates.map((g) => [g.name, g.level, g.target, mark[g.status], g.evidence.map((e) => `${e.check}: ${e.reason}`).join('; ')]),
        )
      : '_No quality gates configured (`gates:` in imos.yaml)._',
    '',
  );
  out.push('## Risks', '');
  out.push(r.risks.length ? r.risks.map((x) => `- ${cell(x)}`).join('\n') : '_None identified._', '');
  out.push(`## Next week (${r.nextWeek.from} → ${r.nextWeek.to})`, '');
  out.push('### Ready to start', '', r.nextWeek.ready.length ? taskTable(r.nextWeek.ready) : '_No task is ready._', '');
  out.push('### Due by the end of next week', '');
  out.push(r.nextWeek.due.length ? mdTable(['Task', 'Priority', 'Status', 'Due'], r.nextWeek.due.map((t) => [`${t.id} ${t.title}`, t.priority, t.status, t.due])) : '_Nothing due._', '');
  return out.join('\n');
}
