// The alert center's lines, pure: active alerts by severity then age (who acknowledged, time to next
// escalation), the escalation queue with countdowns, and recent actions from the audit log.
// AlertsPane.tsx draws them with Ink (and one alert opened in full).
import { severityToken, statusGlyph } from '../palette.js';
import { fit, pad } from '../text.js';
import { listWindow, shareByPriority } from '../layout.js';
import { clockTime, compactDuration } from '../model/format.js';
import { ALERT_SORTS, alertAgeMs, alertStateText, escalationCountdownMs, type ActionRow, type AlertRow, type EscalationItem } from '../model/alerts.js';
import { colored, marked, plain, strong, tone, type Line } from '../styled.js';
import { filterOf, selectedIn, sortOf, type ListSort, type UIState } from '../ui-state.js';
import { displayWidth } from '../../src/text/width.js';
import { filterLine, positionLine } from './list-lines.js';
import { definePlainPane, type PaneText } from './pane.js';

const SHORT = { CRITICAL: 'CRIT', HIGH: 'HIGH', MEDIUM: 'MED' } as const;

export interface AlertsRows {
  /** One alert is open in full (AlertDetail.tsx draws it). */
  detail: boolean;
  focused: boolean;
  alerts: readonly AlertRow[];
  alertsTotal: number;
  /** What the columns are measured on: every active alert (the filtered list when not given). */
  alertsAll?: readonly AlertRow[];
  escalations: readonly EscalationItem[];
  /** Recent actions (filtered), how many there are, and their selection and filter. */
  actions: readonly ActionRow[];
  actionsTotal: number;
  actionsSelected: number;
  actionsFilter: string;
  /** The escalation queue (filtered), how many wait, and its selection and filter. */
  queueTotal: number;
  queueSelected: number;
  queueFilter: string;
  /** The list in front (`]` / `[`): j/k, g/G and `/` act on it. */
  front: AlertList;
  selectedIndex: number;
  filter: string;
  sort: ListSort;
  timezone: string;
  /** The instant ages and countdowns are counted to (the rows themselves do not move with time). */
  nowMs: number;
}

/** The filter and selection key of the alert center's recent actions (UIState, the view model's filters). */
export const ACTIONS_LIST = 'actions';

/** The filter and selection key of the escalation queue. */
export const QUEUE_LIST = 'queue';

/** The alert center's lists, in the order `]` goes through them. */
export const ALERT_LISTS = ['alerts', QUEUE_LIST, ACTIONS_LIST] as const;
export type AlertList = (typeof ALERT_LISTS)[number];

/** The alert center's list in front: the active alerts unless `]` brought another. */
export function alertListInFront(ui: UIState): AlertList {
  const chosen = ui.inFront?.alerts;
  return ALERT_LISTS.find((l) => l === chosen) ?? 'alerts';
}

/** The recent actions are the alert center's list in front. */
export const actionsInFront = (ui: UIState): boolean => alertListInFront(ui) === ACTIONS_LIST;

/** The alert center with its list `step` places on (`]` 1, `[` -1). */
export function turnAlertList(state: UIState, step: number): UIState {
  const at = ALERT_LISTS.indexOf(alertListInFront(state));
  const next = ALERT_LISTS[(at + step + ALERT_LISTS.length) % ALERT_LISTS.length]!;
  return { ...state, inFront: { ...state.inFront, alerts: next === 'alerts' ? '' : next } };
}

export function alertsText(props: Omit<AlertsRows, 'detail'> & { width: number; rows: number }, previousStart = 0, previousStarts: Readonly<Record<string, number>> = {}): PaneText {
  const { width, rows, focused, filter, timezone, sort, alerts: list, escalations, actions, front, nowMs } = props;
  const inFront = front === ACTIONS_LIST;
  const queueInFront = front === QUEUE_LIST;
  const selected = Math.min(props.selectedIndex, Math.max(0, list.length - 1));
  const sections = alertSections(rows, list.length, escalations.length, actions.length, {
    filtered: filter !== '',
    queueFiltered: props.queueFilter !== '',
    actionsFiltered: props.actionsFilter !== '',
    first: front,
  });
  const win = listWindow(list.length, selected, sections.list, previousStart);
  // The queue in front scrolls like any list; behind, its title names the ones it leaves out.
  const queueSelected = Math.min(props.queueSelected, Math.max(0, escalations.length - 1));
  const queueWin = queueInFront ? listWindow(escalations.length, queueSelected, sections.queue, previousStarts[QUEUE_LIST] ?? 0) : { start: 0, end: Math.min(escalations.length, sections.queue), position: null };
  const queueHidden = queueInFront ? [] : escalations.slice(queueWin.end);
  const actionSelected = Math.min(props.actionsSelected, Math.max(0, actions.length - 1));
  const actionsWin = listWindow(actions.length, actionSelected, sections.actions, previousStarts[ACTIONS_LIST] ?? 0);
  const visible = list.slice(win.start, win.end);
  const { sevW, idW, sysW, msgW, stateW } = alertColumns(width, props.alertsAll ?? list, visible.map((a) => alertStateText(a, nowMs, timezone)));
  const order = sort.by !== ALERT_SORTS[0] || sort.reverse ? `  by ${sort.by}${sort.reverse ? ' ↑' : ''}` : '';
  const lines: Line[] = [[strong(`Active ${props.alertsTotal}`), { ...colored('muted', order), bold: true }]];
  if (filter) lines.push(filterLine(filter, list.length, props.alertsTotal, width));
  if (list.length === 0) lines.push([tone('ok', filter ? 'no alert matches the filter' : `${statusGlyph('ok')} no active alerts`)]);
  visible.forEach((a, i) => {
    const row: Line = [
      tone(severityToken(a.severity), `${statusGlyph(a.severity)} ${pad(sevW < 9 ? SHORT[a.severity] : a.severity, sevW)}`),
      plain(pad(a.id, idW) + ' ' + (sysW ? pad(a.system, sysW) + ' ' : '') + pad(a.message, msgW) + ' ' + pad(compactDuration(alertAgeMs(a, nowMs)), 5, true) + ' '),
      tone(a.state === 'acknowledged' ? 'ok' : a.state === 'snoozed' ? 'muted' : 'warn', fit(alertStateText(a, nowMs, timezone), stateW)),
    ];
    lines.push(marked(row, { inverse: focused && front === 'alerts' && win.start + i === selected }));
  });
  const position = positionLine(win.position, width);
  if (position) lines.push(position);
  const queueTitle = `Escalation queue ${props.queueTotal}`;
  const queueHint = queueInFront ? '  ]: recent actions' : queueHidden.length ? `  +${queueHidden.length} more: ${queueHidden.map((e) => e.id).join(' ')}` : '';
  lines.push(marked([focused && queueInFront ? colored('accent', queueTitle) : plain(queueTitle), colored('muted', queueHint)], { bold: true }));
  if (props.queueFilter) lines.push(filterLine(props.queueFilter, escalations.length, props.queueTotal, width));
  if (escalations.length === 0) lines.push([tone('muted', props.queueFilter ? 'no escalation matches the filter' : 'nothing waiting to escalate')]);
  escalations.slice(queueWin.start, queueWin.end).forEach((e, i) => {
    const inMs = escalationCountdownMs(e, nowMs);
    const row: Line = [
      tone(severityToken(e.severity), pad(`${statusGlyph(e.severity)} ${e.id}`, Math.max(8, e.id.length + 3))),
      plain(pad(e.system, Math.max(sysW, 12)) + ` level ${e.level + 1} `),
      tone(inMs <= 0 ? 'critical' : 'warn', inMs <= 0 ? `overdue ${compactDuration(-inMs)}` : `in ${compactDuration(inMs)}`),
    ];
    lines.push(marked(row, { inverse: focused && queueInFront && queueWin.start + i === queueSelected }));
  });
  const queuePosition = positionLine(queueWin.position, width);
  if (queuePosition) lines.push(queuePosition);
  // Their title says how to reach what does not fit: `]` brings them to the front.
  const hint = inFront ? '  [: back to the queue' : actionsWin.end - actionsWin.start < actions.length ? '  ]: scroll them' : '';
  lines.push(marked([focused && inFront ? colored('accent', `Recent actions ${props.actionsTotal}`) : plain(`Recent actions ${props.actionsTotal}`), colored('muted', hint)], { bold: true }));
  if (props.actionsFilter) lines.push(filterLine(props.actionsFilter, actions.length, props.actionsTotal, width));
  if (actions.length === 0) lines.push([tone('muted', props.actionsFilter ? 'no action matches the filter' : 'no actions yet')]);
  actions.slice(actionsWin.start, actionsWin.end).forEach((r, i) => {
    const row: Line = [colored('muted', fit(`${clockTime(Date.parse(r.at), timezone)} ${r.actor} ${r.action} ${r.target}${r.note ? ` “${r.note}”` : ''}`, width))];
    lines.push(marked(row, { inverse: focused && inFront && actionsWin.start + i === actionSelected }));
  });
  const actionsPosition = positionLine(actionsWin.position, width);
  if (actionsPosition) lines.push(actionsPosition);
  return { lines, start: win.start, starts: { [ACTIONS_LIST]: actionsWin.start, [QUEUE_LIST]: queueWin.start } };
}

/** The longest id and system of a list, kept per list: a key press must not scan 10,000 alerts. */
const widest = new WeakMap<readonly AlertRow[], { idW: number; systemW: number }>();

function widestOf(alerts: readonly AlertRow[]): { idW: number; systemW: number } {
  const known = widest.get(alerts);
  if (known) return known;
  // Ids are what `imos ack` takes: never cut (A10000 and up need more than 5 cells).
  let idW = 5;
  const systems = new Set<string>();
  for (const a of alerts) {
    if (a.id.length > idW) idW = a.id.length;
    systems.add(a.system);
  }
  let systemW = 0;
  for (const s of systems) systemW = Math.max(systemW, displayWidth(s));
  const found = { idW, systemW };
  widest.set(alerts, found);
  return found;
}

/**
 * The widths of the active list's columns, from what they hold: the system column as wide as the
 * longest system (up to 20), the state column as wide as the longest state on screen, and the
 * message the rest. A pane narrower than 70 drops the system column (the message names the
 * check); when the message would get fewer than 24 cells the system column gives way (to 10).
 */
export function alertColumns(width: number, alerts: readonly AlertRow[], states: readonly string[]): { sevW: number; idW: number; sysW: number; msgW: number; stateW: number } {
  const sevW = width >= 70 ? 9 : 5;
  const { idW, systemW } = widestOf(alerts);
  let sysW = width >= 70 ? Math.min(20, systemW) : 0;
  const stateW = Math.min(16, states.reduce((w, t) => Math.max(w, displayWidth(t)), 4));
  // glyph and space 2, the spaces after id, system, message and age, age 5.
  const rest = () => width - 2 - sevW - idW - 1 - (sysW ? sysW + 1 : 0) - 1 - 5 - 1 - stateW;
  if (sysW > 10 && rest() < 24) sysW = Math.max(10, sysW - (24 - rest()));
  return { sevW, idW, sysW, msgW: Math.max(10, rest()), stateW };
}

export interface AlertSectionOptions {
  /** The active alerts, the queue, the recent actions are filtered: a filter line each. */
  filtered?: boolean;
  queueFiltered?: boolean;
  actionsFiltered?: boolean;
  /** The list in front: it comes first. */
  first?: AlertList;
}

/**
 * The alert center's rows shared among its parts: the active list first (it is what j/k moves
 * in; when it does not fit, one of its rows says where it is), then the escalation queue (at
 * least three entries; the title names the ones left out), then the recent actions — first of
 * all when they are the list in front. Titles: 3.
 */
export function alertSections(rows: number, active: number, queue: number, actions: number, opts: AlertSectionOptions = {}): { list: number; queue: number; actions: number } {
  const room = rows - 3 - (opts.filtered ? 1 : 0) - (opts.queueFiltered ? 1 : 0) - (opts.actionsFiltered ? 1 : 0);
  const first = opts.first ?? 'alerts';
  const needs: Record<AlertList, { min: number; want: number }> = {
    alerts: { min: Math.max(1, Math.min(active, 3)), want: Math.max(1, active) },
    [QUEUE_LIST]: { min: Math.max(1, Math.min(queue, 3)), want: Math.max(1, queue) },
    [ACTIONS_LIST]: { min: first === ACTIONS_LIST ? Math.max(1, Math.min(actions, 3)) : 1, want: Math.max(1, actions) },
  };
  const order: AlertList[] = [first, ...ALERT_LISTS.filter((l) => l !== first)];
  const shares = shareByPriority(room, order.map((l) => needs[l]));
  const of = (l: AlertList) => shares[order.indexOf(l)]!;
  return { list: Math.max(1, of('alerts')), queue: of(QUEUE_LIST), actions: of(ACTIONS_LIST) };
}

/** The rows the alert center can use: every active alert, the queue and a few recent actions (all of them when in front). */
export function alertCenterRows(active: number, queue: number, actions: number, opts: AlertSectionOptions = {}): number {
  const shownActions = opts.first === ACTIONS_LIST ? actions : Math.min(actions, 8);
  return 3 + (opts.filtered ? 1 : 0) + (opts.queueFiltered ? 1 : 0) + (opts.actionsFiltered ? 1 : 0) + Math.max(1, active) + Math.max(1, queue) + Math.max(1, shownActions);
}

export const alertsPlain = definePlainPane<AlertsRows>({
  id: 'alerts',
  title: 'Alert center',
  scopes: () => ['alerts', 'list'],
  scopeTitles: { alerts: 'Alert center' },
  listLength: (vm, ui) => {
    const front = alertListInFront(ui);
    return front === ACTIONS_LIST ? vm.actions.length : front === QUEUE_LIST ? vm.escalations.length : vm.alerts.length;
  },
  frontList: (ui) => {
    const front = alertListInFront(ui);
    if (front === 'alerts') return null;
    return { id: front, selected: selectedIn(ui, front), select: (s, index) => ({ ...s, selected: { ...s.selected, [front]: index } }) };
  },
  nextList: (state, step) => turnAlertList(state, step),
  sorts: ALERT_SORTS,
  rowsWanted: ({ vm, ui }) =>
    alertCenterRows(vm.alerts.length, vm.escalations.length, vm.actions.length, {
      filtered: filterOf(ui, 'alerts') !== '',
      queueFiltered: filterOf(ui, QUEUE_LIST) !== '',
      actionsFiltered: filterOf(ui, ACTIONS_LIST) !== '',
      first: alertListInFront(ui),
    }),
  summary: (vm) => `${vm.alertsTotal} active`,
  badge: (vm) => (vm.alertsTotal > 0 ? `(${vm.alertsTotal})` : ''),
  model: ({ vm, ui, config, focused }): AlertsRows => ({
    detail: ui.alertDetail !== null,
    focused,
    alerts: vm.alerts,
    alertsTotal: vm.alertsTotal,
    alertsAll: vm.alertsAll,
    escalations: vm.escalations,
    actions: vm.actions,
    actionsTotal: vm.actionsTotal,
    actionsSelected: selectedIn(ui, ACTIONS_LIST),
    actionsFilter: filterOf(ui, ACTIONS_LIST),
    queueTotal: vm.escalationsTotal,
    queueSelected: selectedIn(ui, QUEUE_LIST),
    queueFilter: filterOf(ui, QUEUE_LIST),
    front: alertListInFront(ui),
    selectedIndex: selectedIn(ui, 'alerts'),
    filter: filterOf(ui, 'alerts'),
    sort: sortOf(ui, 'alerts', ALERT_SORTS),
    timezone: config.timezone,
    nowMs: vm.nowMs,
  }),
  text: alertsText,
});
