// The alert center's lines, pure: active alerts by severity then age (who acknowledged, time to next
// escalation), the escalation queue with countdowns, and recent actions from the audit log.
// AlertsPane.tsx draws them with Ink (and one alert opened in full).
import { severityToken, statusGlyph } from '../palette.js';
import { fit, pad } from '../text.js';
import { listWindow, shareByPriority } from '../layout.js';
import { clockTime, compactDuration } from '../model/format.js';
import { ALERT_SORTS, alertStateText, type ActionRow, type AlertRow, type EscalationItem } from '../model/alerts.js';
import { colored, marked, plain, strong, tone, type Line } from '../styled.js';
import { filterOf, selectedIn, sortOf, type ListSort } from '../ui-state.js';
import { filterLine, positionLine } from './list-lines.js';
import { definePlainPane, type PaneText } from './pane.js';

const SHORT = { CRITICAL: 'CRIT', HIGH: 'HIGH', MEDIUM: 'MED' } as const;

export interface AlertsRows {
  /** One alert is open in full (AlertDetail.tsx draws it). */
  detail: boolean;
  focused: boolean;
  alerts: readonly AlertRow[];
  alertsTotal: number;
  escalations: readonly EscalationItem[];
  actions: readonly ActionRow[];
  selectedIndex: number;
  filter: string;
  sort: ListSort;
  timezone: string;
}

export function alertsText(props: Omit<AlertsRows, 'detail'> & { width: number; rows: number }, previousStart = 0): PaneText {
  const { width, rows, focused, filter, timezone, sort, alerts: list, escalations, actions } = props;
  const selected = Math.min(props.selectedIndex, Math.max(0, list.length - 1));
  const sections = alertSections(rows, list.length, escalations.length, actions.length, filter !== '');
  const win = listWindow(list.length, selected, sections.list, previousStart);
  const queueShown = Math.min(escalations.length, sections.queue);
  const queueHidden = escalations.slice(queueShown);
  const actionsShown = Math.min(actions.length, sections.actions);
  // Narrow panes drop the system column (the message names the check).
  const sysW = width >= 70 ? Math.min(14, Math.floor(width / 5)) : 0;
  const stateW = 13;
  const sevW = width >= 70 ? 9 : 5;
  // Ids are what `imos ack` takes: never cut (A10000 and up need more than 5 cells).
  const idW = list.reduce((w, a) => Math.max(w, a.id.length), 5);
  // glyph+severity, id, system, age 5, state, and the spaces between.
  const msgW = Math.max(10, width - 2 - sevW - idW - (sysW ? sysW + 1 : 0) - 5 - stateW - 3);
  const order = sort.by !== ALERT_SORTS[0] || sort.reverse ? `  by ${sort.by}${sort.reverse ? ' ↑' : ''}` : '';
  const lines: Line[] = [[strong(`Active ${props.alertsTotal}`), { ...colored('muted', order), bold: true }]];
  if (filter) lines.push(filterLine(filter, list.length, props.alertsTotal, width));
  if (list.length === 0) lines.push([tone('ok', filter ? 'no alert matches the filter' : `${statusGlyph('ok')} no active alerts`)]);
  list.slice(win.start, win.end).forEach((a, i) => {
    const row: Line = [
      tone(severityToken(a.severity), `${statusGlyph(a.severity)} ${pad(sevW < 9 ? SHORT[a.severity] : a.severity, sevW)}`),
      plain(pad(a.id, idW) + ' ' + (sysW ? pad(a.system, sysW) + ' ' : '') + pad(a.message, msgW) + ' ' + pad(compactDuration(a.ageMs), 5, true) + ' '),
      tone(a.state === 'acknowledged' ? 'ok' : a.state === 'snoozed' ? 'muted' : 'warn', fit(alertStateText(a, timezone), stateW)),
    ];
    lines.push(marked(row, { inverse: focused && win.start + i === selected }));
  });
  const position = positionLine(win.position, width);
  if (position) lines.push(position);
  lines.push(
    marked([plain(`Escalation queue ${escalations.length}`), colored('muted', queueHidden.length ? `  +${queueHidden.length} more: ${queueHidden.map((e) => e.id).join(' ')}` : '')], {
      bold: true,
    }),
  );
  if (escalations.length === 0) lines.push([tone('muted', 'nothing waiting to escalate')]);
  for (const e of escalations.slice(0, queueShown)) {
    lines.push([
      tone(severityToken(e.severity), pad(`${statusGlyph(e.severity)} ${e.id}`, Math.max(8, e.id.length + 3))),
      plain(pad(e.system, Math.max(sysW, 12)) + ` level ${e.level + 1} `),
      tone(e.inMs <= 0 ? 'critical' : 'warn', e.inMs <= 0 ? `overdue ${compactDuration(-e.inMs)}` : `in ${compactDuration(e.inMs)}`),
    ]);
  }
  lines.push(marked([plain('Recent actions'), colored('muted', actionsShown < actions.length ? `  ${actionsShown} of ${actions.length} (f: full screen)` : '')], { bold: true }));
  if (actions.length === 0) lines.push([tone('muted', 'no actions yet')]);
  for (const r of actions.slice(0, actionsShown)) {
    lines.push([colored('muted', fit(`${clockTime(Date.parse(r.at), timezone)} ${r.actor} ${r.action} ${r.target}${r.note ? ` “${r.note}”` : ''}`, width))]);
  }
  return { lines, start: win.start };
}

/**
 * The alert center's rows shared among its parts: the active list first (it is what j/k moves
 * in; when it does not fit, one of its rows says where it is), then the escalation queue (at
 * least three entries; the title names the ones left out), then the recent actions. Titles: 3.
 */
export function alertSections(rows: number, active: number, queue: number, actions: number, filtered: boolean): { list: number; queue: number; actions: number } {
  const room = rows - 3 - (filtered ? 1 : 0);
  const [list, q, a] = shareByPriority(room, [
    { min: Math.max(1, Math.min(active, 3)), want: Math.max(1, active) },
    { min: Math.max(1, Math.min(queue, 3)), want: Math.max(1, queue) },
    { min: 1, want: Math.max(1, actions) },
  ]);
  return { list: Math.max(1, list!), queue: q!, actions: a! };
}

/** The rows the alert center can use: every active alert, the queue and a few recent actions. */
export function alertCenterRows(active: number, queue: number, actions: number, filtered: boolean): number {
  return 3 + (filtered ? 1 : 0) + Math.max(1, active) + Math.max(1, queue) + Math.max(1, Math.min(actions, 8));
}

export const alertsPlain = definePlainPane<AlertsRows>({
  id: 'alerts',
  title: 'Alert center',
  scopes: () => ['alerts', 'list'],
  scopeTitles: { alerts: 'Alert center' },
  listLength: (vm) => vm.alerts.length,
  sorts: ALERT_SORTS,
  rowsWanted: ({ vm, ui }) => alertCenterRows(vm.alerts.length, vm.escalations.length, vm.actions.length, filterOf(ui, 'alerts') !== ''),
  summary: (vm) => `${vm.alertsTotal} active`,
  badge: (vm) => (vm.alertsTotal > 0 ? `(${vm.alertsTotal})` : ''),
  model: ({ vm, ui, config, focused }): AlertsRows => ({
    detail: ui.alertDetail !== null,
    focused,
    alerts: vm.alerts,
    alertsTotal: vm.alertsTotal,
    escalations: vm.escalations,
    actions: vm.actions,
    selectedIndex: selectedIn(ui, 'alerts'),
    filter: filterOf(ui, 'alerts'),
    sort: sortOf(ui, 'alerts', ALERT_SORTS),
    timezone: config.timezone,
  }),
  text: alertsText,
});
