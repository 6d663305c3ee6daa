// Alert center: active alerts by severity then age (who acknowledged, time to next escalation),
// the escalation queue with countdowns, and recent actions from the audit log.
import { Box, Text } from 'ink';
import { memo, useRef } from 'react';
import { Tone } from '../components/Tone.js';
import { severityToken, statusGlyph, useTheme } from '../theme.js';
import { fit, pad } from '../text.js';
import { visibleWindow } from '../layout.js';
import { clockTime, compactDuration } from '../model/format.js';
import { filterOf, selectedIn } from '../ui-state.js';
import { AlertDetail } from './AlertDetail.js';
import { definePane } from './pane.js';
import { alertStateText, type ActionRow, type AlertRow, type EscalationItem } from '../model/alerts.js';

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
  timezone: string;
}

/** Memoised: redrawn only when its rows, selection or filter change. */
export const AlertsPane = memo(function AlertsPane(props: AlertsPaneProps) {
  const { width, rows, focused, filter, timezone } = props;
  const vm = props;
  const theme = useTheme();
  const list = vm.alerts;
  const selected = Math.min(props.selectedIndex, Math.max(0, list.length - 1));
  const startRef = useRef(0);
  const roomy = rows >= 14;
  const queueRows = Math.min(vm.escalations.length, roomy ? 3 : 1);
  const actionRows = Math.min(vm.actions.length, roomy ? 4 : 1);
  const filterRow = filter ? 1 : 0;
  // Titles: active list, queue, recent actions.
  const listRows = Math.max(1, rows - 3 - queueRows - actionRows - filterRow - (vm.escalations.length ? 0 : 1) - (vm.actions.length ? 0 : 1));
  const win = visibleWindow(list.length, selected, listRows, startRef.current);
  startRef.current = win.start;
  // Narrow panes drop the system column (the message names the check).
  const sysW = width >= 70 ? Math.min(14, Math.floor(width / 5)) : 0;
  const stateW = 13;
  const sevW = width >= 70 ? 9 : 5;
  // Ids are what `imos ack` takes: never cut (A10000 and up need more than 5 cells).
  const idW = list.reduce((w, a) => Math.max(w, a.id.length), 5);
  // glyph+severity, id, system, age 5, state, and the spaces between.
  const msgW = Math.max(10, width - 2 - sevW - idW - (sysW ? sysW + 1 : 0) - 5 - stateW - 3);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {`Active ${vm.alertsTotal}`}
        <Text color={theme.color('muted')}>{list.length !== vm.alertsTotal ? `  (${list.length} shown)` : ''}</Text>
      </Text>
      {filterRow ? <Tone token="accent">{`filter: ${filter}`}</Tone> : null}
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
      <Text bold wrap="truncate-end">
        {`Escalation queue ${vm.escalations.length}`}
      </Text>
      {vm.escalations.length === 0 ? <Tone token="muted">nothing waiting to escalate</Tone> : null}
      {vm.escalations.slice(0, queueRows).map((e) => (
        <Text key={e.id} wrap="truncate-end">
          <Tone token={severityToken(e.severity)}>{pad(`${statusGlyph(e.severity)} ${e.id}`, Math.max(8, e.id.length + 3))}</Tone>
          {pad(e.system, Math.max(sysW, 12)) + ` level ${e.level + 1} `}
          <Tone token={e.inMs <= 0 ? 'critical' : 'warn'}>{e.inMs <= 0 ? `overdue ${compactDuration(-e.inMs)}` : `in ${compactDuration(e.inMs)}`}</Tone>
        </Text>
      ))}
      <Text bold wrap="truncate-end">
        Recent actions
      </Text>
      {vm.actions.length === 0 ? <Tone token="muted">no actions yet</Tone> : null}
      {vm.actions.slice(0, actionRows).map((r, i) => (
        <Text key={i} wrap="truncate-end" color={theme.color('muted')}>
          {fit(`${clockTime(Date.parse(r.at), timezone)} ${r.actor} ${r.action} ${r.target}${r.note ? ` “${r.note}”` : ''}`, width)}
        </Text>
      ))}
    </Box>
  );
});

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
  summary: (vm) => `${vm.alertsTotal} active`,
  badge: (vm) => (vm.alertsTotal > 0 ? `(${vm.alertsTotal})` : ''),
  open: (state, ctx) => (ctx.selectedAlertId ? { ...state, alertDetail: ctx.selectedAlertId } : null),
  close: (state) => (state.alertDetail ? { ...state, alertDetail: null } : null),
  model: ({ vm, ui, config, focused }) => ({
    detail: ui.alertDetail !== null,
    focused,
    alerts: vm.alerts,
    alertsTotal: vm.alertsTotal,
    escalations: vm.escalations,
    actions: vm.actions,
    selectedIndex: selectedIn(ui, 'alerts'),
    filter: filterOf(ui, 'alerts'),
    timezone: config.timezone,
  }),
  component: AlertsView,
});
