// State in, actions out: the container publishes what the panes show (read-only) and the actions
// they may call; panes read one and call the other, and never reach into the store or the engine.
import { createContext, useContext } from 'react';
import type { ImosConfig } from '../src/config/types.js';
import type { ViewModel } from './model/view-model.js';
import type { LineCommand } from './commands.js';
import type { KeyBinding } from './keymap.js';
import type { Layout, PaneBox } from './layout.js';
import type { PaneSpec } from './panes/pane.js';
import type { Effect, UIState } from './ui-state.js';

export interface UIStateValue {
  config: ImosConfig;
  actor: string;
  readonly: boolean;
  wallboard: boolean;
  layout: Exclude<Layout, { kind: 'too-small' }>;
  /** Each pane's box, in registry order (views/layout.ts paneBoxes). */
  boxes: readonly PaneBox[];
  /** The panes, in Tab order (views/panes/registry.ts). */
  panes: readonly PaneSpec[];
  ui: UIState;
  vm: ViewModel;
  keymap: readonly KeyBinding[];
  /** The `:` commands (views/commands.ts). */
  commands: readonly LineCommand[];
  now(): number;
  /** The last store read failed (the screen shows the data read before). */
  storeError: string | null;
  /** The workspace was removed under the console: why (the screen keeps the last data). */
  gone?: string | null;
  /** This console polls and could not store its last results: why (src/console/full-screen.ts). */
  pollerProblem?: string | null;
}

export interface UIActionsValue {
  /** Run an effect (acknowledge, snooze, …) as if its key was pressed. */
  run(effect: Effect): void;
}

export const UIStateContext = createContext<UIStateValue | null>(null);
export const UIActionsContext = createContext<UIActionsValue | null>(null);

export function useUIState(): UIStateValue {
  const value = useContext(UIStateContext);
  if (!value) throw new Error('useUIState outside the console');
  return value;
}

export function useUIActions(): UIActionsValue {
  const value = useContext(UIActionsContext);
  if (!value) throw new Error('useUIActions outside the console');
  return value;
}
