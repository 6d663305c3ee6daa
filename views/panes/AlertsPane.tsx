// Alert center: its lines (views/panes/alerts.ts) drawn with Ink, or one alert in full
// (AlertDetail.tsx).
import { Box } from 'ink';
import { memo, useRef } from 'react';
import { scrollWindow } from '../layout.js';
import { clamp, filterOf } from '../ui-state.js';
import { StyledLines } from '../components/StyledLines.js';
import { AlertDetail, alertDetailText } from './AlertDetail.js';
import { definePane } from './pane.js';
import { alertListInFront, alertsPlain, alertsText, type AlertsRows } from './alerts.js';

export { alertCenterRows, alertColumns, alertListInFront, alertSections } from './alerts.js';

export type AlertsPaneProps = Omit<AlertsRows, 'detail'> & { width: number; rows: number };

/** Memoised: redrawn only when its rows, selection or filter change, or the clock its ages count to moves. */
export const AlertsPane = memo(function AlertsPane(props: AlertsPaneProps) {
  const startRef = useRef(0);
  const startsRef = useRef<Readonly<Record<string, number>>>({});
  const text = alertsText(props, startRef.current, startsRef.current);
  startRef.current = text.start;
  startsRef.current = text.starts ?? {};
  return (
    <Box flexDirection="column" width={props.width}>
      <StyledLines lines={text.lines} />
    </Box>
  );
});

/** The alert center, or one alert in full. */
function AlertsView({ detail, ...center }: AlertsRows & { width: number; rows: number }) {
  return detail ? <AlertDetail width={center.width} rows={center.rows} /> : <AlertsPane {...center} />;
}

export const alertsPane = definePane({
  ...alertsPlain,
  rowsWanted: (input, width) =>
    input.ui.alertDetail !== null && input.vm.alertDetail
      ? alertDetailText(input.vm.alertDetail, input.vm.nowMs, input.config.timezone, width, { config: input.config }, input.vm.alertRuns).length + 1
      : alertsPlain.rowsWanted!(input, width),
  scrollMax: ({ vm, config }, size) => (vm.alertDetail ? scrollWindow(alertDetailText(vm.alertDetail, vm.nowMs, config.timezone, size.width, { config }, vm.alertRuns).length, 0, size.rows - 1).max : 0),
  open: (state, ctx) => (ctx.selectedAlertId && !state.alertDetail ? { ...state, alertDetail: ctx.selectedAlertId, scroll: 0 } : null),
  close: (state) => {
    if (state.alertDetail) return { ...state, alertDetail: null, scroll: 0 };
    // Recent actions in front, unfiltered: Esc goes back to the active alerts.
    // Another list in front, unfiltered: Esc brings the active alerts back.
    const front = alertListInFront(state);
    if (front !== 'alerts' && !filterOf(state, front)) return { ...state, inFront: { ...state.inFront, alerts: '' } };
    return null;
  },
  move: (state, step, ctx) => (state.alertDetail ? { ...state, scroll: clamp(state.scroll + step, (ctx.scrollMax ?? 0) + 1) } : null),
  component: AlertsView,
});
