// The whole console over a MemoryStore with the hotel fixtures, for the component tests of the
// panes, the forms and the container; and reading its frames (lines, the grid's right half).
import type { ReactElement } from 'react';
import type { ImosConfig } from '../../src/config/types.js';
import { afterEach } from 'vitest';
import { ConsoleApp } from '../App.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import type { AuditEntry } from '../../src/model.js';
import type { LineCommand } from '../commands.js';
import type { PaneSpec } from '../panes/pane.js';
import { colorTheme, monoTheme } from '../theme.js';
import { hotelConfig, hotelCore, hotelResults, NOW, type TestCore, type TestResults } from './fixtures.js';
import { memoryActions } from './memory-actions.js';
import { renderAt, type Rendered } from './render.js';

export interface ConsoleSetupOptions {
  readonly?: boolean;
  wallboard?: boolean;
  cycleMs?: number;
  actor?: string;
  color?: boolean;
  panes?: readonly PaneSpec[];
  commands?: readonly LineCommand[];
  /** Playbooks added to the hotel configuration. */
  playbooks?: PlaybookConfig[];
  /** The store's core section (default: the hotel fixtures' alerts and snapshots). */
  core?: TestCore;
  /** The store's check results (default: the hotel fixtures'). */
  results?: TestResults;
  /** The store's audit log, oldest first (default: empty). */
  audit?: AuditEntry[];
  /** The workspace removed under the console (src/console/workspace-watch.ts). */
  gone?: string | null;
  /** How long a status message stays (views/App.tsx). */
  statusFadeMs?: number;
  /** Quality gates over the fixture's checks (none by default). */
  gates?: ImosConfig['gates'];
}

export function setupConsole(opts: ConsoleSetupOptions = {}) {
  const config = hotelConfig(opts.gates ? { gates: opts.gates } : {});
  if (opts.playbooks) config.playbooks = opts.playbooks;
  const store = new MemoryStore({ core: opts.core ?? hotelCore(), results: opts.results ?? hotelResults() }, opts.audit);
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
      gone={opts.gone}
      statusFadeMs={opts.statusFadeMs}
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

/** The text inside the focused pane's border, one string per row. */
export const inside = (frame: string) => lines(frame).map((l) => l.replace(/^.*?║/, '').replace(/║.*$/, ''));


/** Consoles drawn in a test file (call it at the top level): each is unmounted after its test. */
export function consoleScreens() {
  const open = new Set<Rendered>();
  afterEach(async () => {
    for (const r of open) await r.unmount();
  });
  const render = async (app: ReactElement, columns: number, rows: number, options?: { stdinTTY?: boolean }): Promise<Rendered> => {
    const r = await renderAt(app, columns, rows, options);
    const tracked: Rendered = {
      ...r,
      unmount: async () => {
        if (open.delete(tracked)) await r.unmount();
      },
    };
    open.add(tracked);
    return tracked;
  };
  return {
    render,
    /** The console with the hotel fixtures at columns × rows, once its figures are drawn. */
    async open(opts: ConsoleSetupOptions, columns: number, rows: number) {
      const c = setupConsole(opts);
      const r = await render(c.app, columns, rows);
      await r.waitFor('Integration completion');
      return { ...c, r };
    },
  };
}
