// The whole console over a MemoryStore with the hotel fixtures, for the component tests of the
// panes, the forms and the container; and reading its frames (lines, the grid's right half).
import { ConsoleApp } from '../App.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { LineCommand } from '../commands.js';
import type { PaneSpec } from '../panes/pane.js';
import { colorTheme, monoTheme } from '../theme.js';
import { hotelConfig, hotelCore, hotelResults, NOW } from './fixtures.js';
import { memoryActions } from './memory-actions.js';

export interface ConsoleSetupOptions {
  readonly?: boolean;
  wallboard?: boolean;
  cycleMs?: number;
  actor?: string;
  color?: boolean;
  panes?: readonly PaneSpec[];
  commands?: readonly LineCommand[];
}

export function setupConsole(opts: ConsoleSetupOptions = {}) {
  const config = hotelConfig();
  const store = new MemoryStore({ core: hotelCore(), results: hotelResults() });
  const now = () => NOW;
  const actor = opts.actor ?? 'suno';
  const actions = memoryActions(store, config, actor, now);
  let quits = 0;
  const app = (
    <ConsoleApp
      config={config}
      store={store}
      actions={actions}
      actor={actor}
      readonly={opts.readonly}
      wallboard={opts.wallboard}
      cycleMs={opts.cycleMs}
      now={now}
      tick={false}
      theme={opts.color ? colorTheme : monoTheme}
      onQuit={() => quits++}
      panes={opts.panes}
      commands={opts.commands}
    />
  );
  return { config, store, actions, app, quits: () => quits };
}

/** The sizes every pane is drawn at: one pane with tabs, and the grid. */
export const SIZES = [
  [80, 24],
  [160, 48],
] as const;

export const lines = (frame: string) => frame.split('\n');

/** In the grid the right-hand panes (systems, alerts) start at column 80 of a 160-column frame. */
export const rightHalf = (frame: string, grid: boolean) => (grid ? lines(frame).map((l) => [...l].slice(80).join('')).join('\n') : frame);
