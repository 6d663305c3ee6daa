// The registry's panes (views/panes/registry.ts) with their components: what the Ink console
// draws. Loaded with the console's screen, after the first frame.
import type { PaneSpec } from './pane.js';
import { PANE_REGISTRY } from './registry.js';

export const PANES: readonly PaneSpec[] = await Promise.all(PANE_REGISTRY.map((entry) => entry.load()));
