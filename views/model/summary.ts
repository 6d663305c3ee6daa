// The console without a terminal (output piped): the same figures as plain text, then exit.
import type { ImosConfig } from '../../src/config/types.js';
import { STATUS_GLYPH } from '../../src/text/glyphs.js';
import { activeAlertRows, alertAgeMs, escalationCountdownMs, escalationQueue } from './alerts.js';
import type { ConsoleData } from './data.js';
import { compactDuration } from './format.js';
import { holderLabel } from './header.js';
import { overview, standupRows } from './overview.js';
import { systemRows } from './systems.js';


export function plainSummary(config: ImosConfig, data: ConsoleData, nowMs: number, maxAlerts = 20): string {
  const o = overview(config, data, nowMs);
  const lines: string[] = [];
  lines.push(`imos · ${config.project}`);
  lines.push(`poller: ${holderLabel(data.lease.holder, nowMs)} · last poll ${data.results.lastPollAt ? `${compactDuration(nowMs - Date.parse(data.results.lastPollAt))} ago` : 'never'}${data.core.control.paused ? ' · PAUSED' : ''}`);
  lines.push('');
  lines.push(`Integration completion  ${o.completion}`);
  lines.push(`System connections      ${o.connections}`);
  lines.push(`Open alerts             ${o.critical} CRITICAL · ${o.high} HIGH · ${o.medium} MEDIUM`);
  lines.push(`High-priority tasks     ${o.highPriorityTasks === null ? '–' : `${o.highPriorityTasks} ready`}`);
  lines.push(`Timeline                ${o.timeline}${o.timelineReason ? ` — ${o.timelineReason}` : ''}${o.forecast ? ` · forecast ${o.forecast}` : ''}`);
  lines.push(`Checks passing          ${o.checksPassing}/${o.checksTotal}`);
  lines.push('');
  lines.push('Systems');
  for (const s of systemRows(config, data.results, data.core.alerts)) {
    lines.push(`  ${STATUS_GLYPH[s.status]} ${s.id.padEnd(16)} ${s.status.padEnd(8)} checks ${s.passing}/${s.total}  leader ${s.leader}${s.worstAlert ? `  worst ${s.worstAlert.id} ${s.worstAlert.severity}` : ''}`);
  }
  const alerts = activeAlertRows(data.core.alerts);
  lines.push('');
  lines.push(`Active alerts (${alerts.length})`);
  for (const a of alerts.slice(0, maxAlerts)) {
    const who = a.state === 'acknowledged' ? ` · ack ${a.acknowledgedBy ?? ''}` : a.state === 'snoozed' ? ' · snoozed' : '';
    lines.push(`  ${STATUS_GLYPH[a.severity]} ${a.severity.padEnd(8)} ${a.id.padEnd(5)} ${a.system.padEnd(14)} ${a.message} (${compactDuration(alertAgeMs(a, nowMs))})${who}`);
  }
  if (alerts.length > maxAlerts) lines.push(`  … and ${alerts.length - maxAlerts} more (imos alerts)`);
  const today = standupRows(config, data.core.standups, nowMs);
  lines.push('');
  lines.push(`Today's standups (${today.rows.length}/${Object.keys(config.systems).length})`);
  for (const st of today.rows) lines.push(`  ✓ ${st.system.padEnd(16)} ${st.author}: ${st.done} → ${st.next}${st.blockers ? ` (${st.blockers} blocker${st.blockers > 1 ? 's' : ''})` : ''}`);
  if (today.missing.length) lines.push(`  ○ no standup yet: ${today.missing.join(', ')}`);
  const queue = escalationQueue(data.core.alerts);
  if (queue.length) {
    lines.push('');
    lines.push('Escalation queue');
    for (const e of queue.slice(0, 10)) {
      const inMs = escalationCountdownMs(e, nowMs);
      lines.push(`  ${e.id.padEnd(5)} ${e.system.padEnd(14)} level ${e.level + 1} ${inMs <= 0 ? 'overdue' : `in ${compactDuration(inMs)}`}`);
    }
  }
  return lines.join('\n') + '\n';
}
