// The console's panes, in Tab order: one line per pane. The number keys, the tab strip, the grid
// (two to a row), the key router, the help, zoom and the first frame all read this list. A pane is
// its lines (definePlainPane, views/panes/pane.ts: pure, what the frame drawn before React loads
// draws, views/frame.ts) and its component module (definePane), which is loaded with the console's
// screen (views/panes/components.ts): this list loads neither React nor Ink.
import { alertsPlain } from './alerts.js';
import { overviewPlain } from './overview.js';
import type { PaneSpec, PlainPane } from './pane.js';
import { systemsPlain } from './systems.js';
import { timelinePlain } from './timeline.js';

export interface PaneEntry {
  /** Its lines and keys, without React. */
  plain: PlainPane;
  /** Its entry with the component (views/panes/X.tsx), loaded on demand. */
  load(): Promise<PaneSpec>;
}

export const PANE_REGISTRY: readonly PaneEntry[] = [
  { plain: overviewPlain, load: async () => (await import('./OverviewPane.js')).overviewPane },
  { plain: systemsPlain, load: async () => (await import('./SystemsPane.js')).systemsPane },
  { plain: timelinePlain, load: async () => (await import('./TimelinePane.js')).timelinePane },
  { plain: alertsPlain, load: async () => (await import('./AlertsPane.js')).alertsPane },
] as readonly PaneEntry[];

/** The panes without their components: what the first frame draws. */
export const PLAIN_PANES: readonly PlainPane[] = PANE_REGISTRY.map((entry) => entry.plain);
