// The console's panes, in Tab order: the number keys, the tab strip, the grid (two to a row), the
// key router and the help all read this list. A new pane is one module exporting its entry
// (definePane, views/panes/pane.ts) and one line here, and its lines (definePlainPane) one line in
// views/panes/plain-registry.ts, which the frame drawn before React loads reads (views/frame.ts).
import { alertsPane } from './AlertsPane.js';
import { overviewPane } from './OverviewPane.js';
import type { PaneSpec } from './pane.js';
import { systemsPane } from './SystemsPane.js';
import { timelinePane } from './TimelinePane.js';

export const PANES: readonly PaneSpec[] = [overviewPane, systemsPane, timelinePane, alertsPane];
