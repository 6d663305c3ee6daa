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
import { clamp, filterOf, selectedIn, sortOf, type ListSort } from '../ui-state.js';
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
  actions: readonly ActionRow[];
  selectedIndex: number;
  filter: string;
  sort: ListSort;
  timezone: string;
}

/** Memoised: redrawn only when its rows, selection or filter change. */
export const AlertsPane = memo(function AlertsPane(props: AlertsPaneProps) {
  const { width, rows, focused, filter, timezone, sort } = props;
  const vm = props;
  const theme = useTheme();
  const list = vm.alerts;
  const selected = Math.min(props.selectedIndex, Math.max(0, list.length - 1));
  const startRef = useRef(0);
  const sections = alertSections(rows, list.length, vm.escalations.length, vm.actions.length, filter !== '');
  const win = listWindow(list.length, selected, sections.list, startRef.current);
  startRef.current = win.start;
  const queueShown = Math.min(vm.escalations.length, sections.queue);
  const queueHidden = vm.escalations.slice(queueShown);
  const actionsShown = Math.min(vm.actions.length, sections.actions);
  // Narrow panes drop the system column (the message names the check).
  const sysW = width >= 70 ? Math.min(14, Math.floor(width / 5)) : 0;
  const stateW = 13;
  const sevW = width >= 70 ? 9 : 5;
  // Ids are what `imos ack` takes: never cut (A10000 and up need more than 5 cells).
  const idW = list.reduce((w, a) => Math.max(w, a.id.length), 5);
  // glyph+severity, id, system, age 5, state, and the spaces between.
  const msgW = Math.max(10, width - 2 - sevW - idW - (sysW ? sysW + 1 : 0) - 5 - stateW - 3);
  const order = sort.by !== ALERT_SORTS[0] || sort.reverse ? `  by ${sort.by}${sort.reverse ? ' ↑' : ''}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {`Active ${vm.alertsTotal}`}
        <Text color={theme.color('muted')}>{order}</Text>
      </Text>
      {filter ? <FilterLine filter={filter} shown={list.length} total={vm.alertsTotal} width={width} /> : null}
      {list.length === 0 ? <Tone token="ok">{filter ? 'no alert matches the filter' : `${statusGlyph('ok')} no active alerts`}</Tone> : null}
      {list.slice(win.start, win.end).map((a, i) => {
        const isSel = focused && win.start + i === selected;
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
      <Text bold wrap="truncate-end">
        Recent actions
        <Text color={theme.color('muted')}>{actionsShown < vm.actions.length ? `  ${actionsShown} of ${vm.actions.length} (f: full screen)` : ''}</Text>
      </Text>
      {vm.actions.length === 0 ? <Tone token="muted">no actions yet</Tone> : null}
      {vm.actions.slice(0, actionsShown).map((r, i) => (
        <Text key={i} wrap="truncate-end" color={theme.color('muted')}>
          {fit(`${clockTime(Date.parse(r.at), timezone)} ${r.actor} ${r.action} ${r.target}${r.note ? ` “${r.note}”` : ''}`, width)}
        </Text>
      ))}
    </Box>
  );
});

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

/** The alert center, or one alert in full. */
function AlertsView({ detail, ...center }: AlertsPaneProps & { detail: boolean }) {
  return detail ? <AlertDetail width={center.width} rows={center.rows} /> : <AlertsPane {...center} />;
}

export const alertsPane = definePane({
  id: 'alerts',
  title: 'Alert center',
  scopes: () => ['alerts', 'list'],
  scopeTitles: { alerts: 'Alert center' },
  listLength: (vm) => vm.alerts.length,
  sorts: ALERT_SORTS,
  rowsWanted: ({ vm, ui, config }, width) =>
    ui.alertDetail !== null && vm.alertDetail
      ? alertDetailText(vm.alertDetail, vm.nowMs, config.timezone, width, { config }).length + 1
      : alertCenterRows(vm.alerts.length, vm.escalations.length, vm.actions.length, filterOf(ui, 'alerts') !== ''),
  scrollMax: ({ vm, config }, size) => (vm.alertDetail ? scrollWindow(alertDetailText(vm.alertDetail, vm.nowMs, config.timezone, size.width, { config }).length, 0, size.rows - 1).max : 0),
  summary: (vm) => `${vm.alertsTotal} active`,
  badge: (vm) => (vm.alertsTotal > 0 ? `(${vm.alertsTotal})` : ''),
  open: (state, ctx) => (ctx.selectedAlertId && !state.alertDetail ? { ...state, alertDetail: ctx.selectedAlertId, scroll: 0 } : null),
  close: (state) => (state.alertDetail ? { ...state, alertDetail: null, scroll: 0 } : null),
  move: (state, step, ctx) => (state.alertDetail ? { ...state, scroll: clamp(state.scroll + step, (ctx.scrollMax ?? 0) + 1) } : null),
  model: ({ vm, ui, config, focused }) => ({
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
  component: AlertsView,
});
