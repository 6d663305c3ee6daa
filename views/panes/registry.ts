// The console's panes, in Tab order: the number keys, the tab strip, the grid (two to a row), the
// key router and the help all read this list. A new pane is one module exporting its entry
// (definePane, views/panes/pane.ts) and one line here. The skeleton frame drawn before React loads
// (src/console/skeleton.ts) repeats the titles; its test keeps them equal.
import { alertsPane } from './AlertsPane.js';
import { overviewPane } from './OverviewPane.js';
import type { PaneSpec } from './pane.js';
import { systemsPane } from './SystemsPane.js';
import { timelinePane } from './TimelinePane.js';

export const PANES: readonly PaneSpec[] = [overviewPane, systemsPane, timelinePane, alertsPane];
