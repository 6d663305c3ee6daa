// The panes without their components, in Tab order: what the first frame drawn before Ink loads
// (views/frame.ts) draws. The same entries as views/panes/registry.ts (its test keeps them equal),
// without loading React and Ink.
import { alertsPlain } from './alerts.js';
import { overviewPlain } from './overview.js';
import type { PlainPane } from './pane.js';
import { systemsPlain } from './systems.js';
import { timelinePlain } from './timeline.js';

export const PLAIN_PANES: readonly PlainPane[] = [overviewPlain, systemsPlain, timelinePlain, alertsPlain] as readonly PlainPane[];
