// Alert center: active alerts by severity then age (who acknowledged, time to next escalation),
// the escalation queue with countdowns, and recent actions from the audit log.
import { Box, Text } from 'ink';
import { memo, useRef } from 'react';
import { Tone } from '../components/Tone.js';
import { severityToken, statusGlyph, useTheme } from '../theme.js';
import { fit, pad } from '../text.js';
import { listWindow, scrollWindow, shareByPriority } from '../layout.js';
import { FilterLine, PositionLine } from '../components/ListParts.js';
import { clockTime, compactDuration } from '../model/format.js';
import { clamp, filterOf, selectedIn, sortOf, type ListSort, type UIState } from '../ui-state.js';
import stringWidth from 'string-width';
import { AlertDetail, alertDetailText } from './AlertDetail.js';
import { definePane } from './pane.js';
import { ALERT_SORTS, alertStateText, type ActionRow, type AlertRow, type EscalationItem } from '../model/alerts.js';

const SHORT = { CRITICAL: 'CRIT', HIGH: 'HIGH', MEDIUM: 'MED' } as const;

export interface AlertsPaneProps {
  width: number;
  rows: number;
  focused: boolean;
  alerts: readonly AlertRow[];
  alertsTotal: number;
  escalations: readonly EscalationItem[];
  /** Recent actions (filtered), how many there are, and their selection and filter. */
  actions: readonly ActionRow[];
  actionsTotal: number;
  actionsSelected: number;
  actionsFilter: string;
  /** The recent actions are the list in front (`]`): j/k, g/G and `/` act on them. */
  actionsInFront: boolean;
  selectedIndex: number;
  filter: string;
  sort: ListSort;
  timezone: string;
}

/** The filter and selection key of the alert center's recent actions (UIState, the view model's filters). */
export const ACTIONS_LIST = 'actions';

/** Memoised: redrawn only when its rows, selection or filter change. */
export const AlertsPane = memo(function AlertsPane(props: AlertsPaneProps) {
  const { width, rows, focused, filter, timezone, sort, actionsInFront } = props;
  const vm = props;
  const theme = useTheme();
  const list = vm.alerts;
  const selected = Math.min(props.selectedIndex, Math.max(0, list.length - 1));
  const startRef = useRef(0);
  const actionsStartRef = useRef(0);
  const sections = alertSections(rows, list.length, vm.escalations.length, vm.actions.length, {
    filtered: filter !== '',
    actionsFiltered: props.actionsFilter !== '',
    actionsFirst: actionsInFront,
  });
  const win = listWindow(list.length, selected, sections.list, startRef.current);
  startRef.current = win.start;
  const queueShown = Math.min(vm.escalations.length, sections.queue);
  const queueHidden = vm.escalations.slice(queueShown);
  const actionSelected = Math.min(props.actionsSelected, Math.max(0, vm.actions.length - 1));
  const actionsWin = listWindow(vm.actions.length, actionSelected, sections.actions, actionsStartRef.current);
  actionsStartRef.current = actionsWin.start;
  const visible = list.slice(win.start, win.end);
  const columns = alertColumns(width, list, visible.map((a) => alertStateText(a, timezone)));
  const { sevW, sysW, msgW, stateW } = columns;
  // Ids are what `imos ack` takes: never cut (A10000 and up need more than 5 cells).
  const idW = columns.idW;
  const order = sort.by !== ALERT_SORTS[0] || sort.reverse ? `  by ${sort.by}${sort.reverse ? ' ↑' : ''}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {`Active ${vm.alertsTotal}`}
        <Text color={theme.color('muted')}>{order}</Text>
      </Text>
      {filter ? <FilterLine filter={filter} shown={list.length} total={vm.alertsTotal} width={width} /> : null}
      {list.length === 0 ? <Tone token="ok">{filter ? 'no alert matches the filter' : `${statusGlyph('ok')} no active alerts`}</Tone> : null}
      {visible.map((a, i) => {
        const isSel = focused && !actionsInFront && win.start + i === selected;
        return (
          <Text key={a.id} wrap="truncate-end" inverse={isSel}>
            <Tone token={severityToken(a.severity)}>{`${statusGlyph(a.severity)} ${pad(sevW < 9 ? SHORT[a.severity] : a.severity, sevW)}`}</Tone>
            {pad(a.id, idW) + ' ' + (sysW ? pad(a.system, sysW) + ' ' : '') + pad(a.message, msgW) + ' ' + pad(compactDuration(a.ageMs), 5, true) + ' '}
            <Tone token={a.state === 'acknowledged' ? 'ok' : a.state === 'snoozed' ? 'muted' : 'warn'}>{fit(alertStateText(a, timezone), stateW)}</Tone>
          </Text>
        );
      })}
      <PositionLine text={win.position} width={width} />
      <Text bold wrap="truncate-end">
        {`Escalation queue ${vm.escalations.length}`}
        <Text color={theme.color('muted')}>{queueHidden.length ? `  +${queueHidden.length} more: ${queueHidden.map((e) => e.id).join(' ')}` : ''}</Text>
      </Text>
      {vm.escalations.length === 0 ? <Tone token="muted">nothing waiting to escalate</Tone> : null}
      {vm.escalations.slice(0, queueShown).map((e) => (
        <Text key={e.id} wrap="truncate-end">
          <Tone token={severityToken(e.severity)}>{pad(`${statusGlyph(e.severity)} ${e.id}`, Math.max(8, e.id.length + 3))}</Tone>
          {pad(e.system, Math.max(sysW, 12)) + ` level ${e.level + 1} `}
          <Tone token={e.inMs <= 0 ? 'critical' : 'warn'}>{e.inMs <= 0 ? `overdue ${compactDuration(-e.inMs)}` : `in ${compactDuration(e.inMs)}`}</Tone>
        </Text>
      ))}
      <Text bold wrap="truncate-end" color={focused && actionsInFront ? theme.color('accent') : undefined}>
        {`Recent actions ${vm.actionsTotal}`}
        <Text color={theme.color('muted')}>{!actionsInFront && actionsWin.position ? '  ]: scroll them' : actionsInFront ? '  [: back to the alerts' : ''}</Text>
      </Text>
      {props.actionsFilter ? <FilterLine filter={props.actionsFilter} shown={vm.actions.length} total={vm.actionsTotal} width={width} /> : null}
      {vm.actions.length === 0 ? <Tone token="muted">{props.actionsFilter ? 'no action matches the filter' : 'no actions yet'}</Tone> : null}
      {vm.actions.slice(actionsWin.start, actionsWin.end).map((r, i) => (
        <Text key={actionsWin.start + i} wrap="truncate-end" color={theme.color('muted')} inverse={focused && actionsInFront && actionsWin.start + i === actionSelected}>
          {fit(`${clockTime(Date.parse(r.at), timezone)} ${r.actor} ${r.action} ${r.target}${r.note ? ` “${r.note}”` : ''}`, width)}
        </Text>
      ))}
      <PositionLine text={actionsWin.position} width={width} />
    </Box>
  );
});

/**
 * The widths of the active list's columns, from what they hold: the system column as wide as the
 * longest system (up to 20), the state column as wide as the longest state on screen, and the
 * message the rest. A pane narrower than 70 drops the system column (the message names the
 * check); when the message would get fewer than 24 cells the system column gives way (to 10).
 */
export function alertColumns(width: number, alerts: readonly AlertRow[], states: readonly string[]): { sevW: number; idW: number; sysW: number; msgW: number; stateW: number } {
  const sevW = width >= 70 ? 9 : 5;
  let idW = 5;
  const systems = new Set<string>();
  for (const a of alerts) {
    if (a.id.length > idW) idW = a.id.length;
    systems.add(a.system);
  }
  let sysW = 0;
  if (width >= 70) for (const s of systems) sysW = Math.max(sysW, stringWidth(s));
  sysW = Math.min(20, sysW);
  const stateW = Math.min(16, states.reduce((w, t) => Math.max(w, stringWidth(t)), 4));
  // glyph and space 2, the spaces after id, system, message and age 4, age 5.
  const rest = () => width - 2 - sevW - idW - 1 - (sysW ? sysW + 1 : 0) - 1 - 5 - 1 - stateW;
  if (sysW > 10 && rest() < 24) sysW = Math.max(10, sysW - (24 - rest()));
  return { sevW, idW, sysW, msgW: Math.max(10, rest()), stateW };
}

/**
 * The alert center's rows shared among its parts: the active list first (it is what j/k moves
 * in; when it does not fit, one of its rows says where it is), then the escalation queue (at
 * least three entries; the title names the ones left out), then the recent actions — first of
 * all when they are the list in front. Titles: 3.
 */
export function alertSections(
  rows: number,
  active: number,
  queue: number,
  actions: number,
  opts: { filtered?: boolean; actionsFiltered?: boolean; actionsFirst?: boolean } = {},
): { list: number; queue: number; actions: number } {
  const room = rows - 3 - (opts.filtered ? 1 : 0) - (opts.actionsFiltered ? 1 : 0);
  const listNeed = { min: Math.max(1, Math.min(active, 3)), want: Math.max(1, active) };
  const queueNeed = { min: Math.max(1, Math.min(queue, 3)), want: Math.max(1, queue) };
  const actionsNeed = { min: opts.actionsFirst ? Math.max(1, Math.min(actions, 3)) : 1, want: Math.max(1, actions) };
  if (opts.actionsFirst) {
    const [a, list, q] = shareByPriority(room, [actionsNeed, listNeed, queueNeed]);
    return { list: Math.max(1, list!), queue: q!, actions: a! };
  }
  const [list, q, a] = shareByPriority(room, [listNeed, queueNeed, actionsNeed]);
  return { list: Math.max(1, list!), queue: q!, actions: a! };
}

/** The rows the alert center can use: every active alert, the queue and a few recent actions (all of them when in front). */
export function alertCenterRows(active: number, queue: number, actions: number, opts: { filtered?: boolean; actionsFiltered?: boolean; actionsFirst?: boolean } = {}): number {
  const shownActions = opts.actionsFirst ? actions : Math.min(actions, 8);
  return 3 + (opts.filtered ? 1 : 0) + (opts.actionsFiltered ? 1 : 0) + Math.max(1, active) + Math.max(1, queue) + Math.max(1, shownActions);
}

/** The recent actions are the alert center's list in front. */
export const inFront = (ui: UIState): boolean => ui.inFront?.alerts === ACTIONS_LIST;

/** The alert center, or one alert in full. */
function AlertsView({ detail, ...center }: AlertsPaneProps & { detail: boolean }) {
  return detail ? <AlertDetail width={center.width} rows={center.rows} /> : <AlertsPane {...center} />;
}

export const alertsPane = definePane({
  id: 'alerts',
  title: 'Alert center',
  scopes: () => ['alerts', 'list'],
  scopeTitles: { alerts: 'Alert center' },
  listLength: (vm, ui) => (inFront(ui) ? vm.actions.length : vm.alerts.length),
  frontList: (ui) =>
    inFront(ui)
      ? { id: ACTIONS_LIST, selected: selectedIn(ui, ACTIONS_LIST), select: (s, index) => ({ ...s, selected: { ...s.selected, [ACTIONS_LIST]: index } }) }
      : null,
  nextList: (state) => ({ ...state, inFront: { ...state.inFront, alerts: inFront(state) ? '' : ACTIONS_LIST } }),
  sorts: ALERT_SORTS,
  rowsWanted: ({ vm, ui, config }, width) =>
    ui.alertDetail !== null && vm.alertDetail
      ? alertDetailText(vm.alertDetail, vm.nowMs, config.timezone, width, { config }).length + 1
      : alertCenterRows(vm.alerts.length, vm.escalations.length, vm.actions.length, {
          filtered: filterOf(ui, 'alerts') !== '',
          actionsFiltered: filterOf(ui, ACTIONS_LIST) !== '',
          actionsFirst: inFront(ui),
        }),
  scrollMax: ({ vm, config }, size) => (vm.alertDetail ? scrollWindow(alertDetailText(vm.alertDetail, vm.nowMs, config.timezone, size.width, { config }).length, 0, size.rows - 1).max : 0),
  summary: (vm) => `${vm.alertsTotal} active`,
  badge: (vm) => (vm.alertsTotal > 0 ? `(${vm.alertsTotal})` : ''),
  open: (state, ctx) => (ctx.selectedAlertId && !state.alertDetail ? { ...state, alertDetail: ctx.selectedAlertId, scroll: 0 } : null),
  close: (state) => {
    if (state.alertDetail) return { ...state, alertDetail: null, scroll: 0 };
    // Recent actions in front, unfiltered: Esc goes back to the active alerts.
    if (inFront(state) && !filterOf(state, ACTIONS_LIST)) return { ...state, inFront: { ...state.inFront, alerts: '' } };
    return null;
  },
  move: (state, step, ctx) => (state.alertDetail ? { ...state, scroll: clamp(state.scroll + step, (ctx.scrollMax ?? 0) + 1) } : null),
  model: ({ vm, ui, config, focused }) => ({
    detail: ui.alertDetail !== null,
    focused,
    alerts: vm.alerts,
    alertsTotal: vm.alertsTotal,
    escalations: vm.escalations,
    actions: vm.actions,
    actionsTotal: vm.actionsTotal,
    actionsSelected: selectedIn(ui, ACTIONS_LIST),
    actionsFilter: filterOf(ui, ACTIONS_LIST),
    actionsInFront: inFront(ui),
    selectedIndex: selectedIn(ui, 'alerts'),
    filter: filterOf(ui, 'alerts'),
    sort: sortOf(ui, 'alerts', ALERT_SORTS),
    timezone: config.timezone,
  }),
  component: AlertsView,
});
