// `imos console`: opens the configuration and the store, and either runs the full-screen console
// (alternate screen, restored on quit / crash / signals) or, without a terminal on stdout, prints
// the plain status summary and exits. The console starts an engine, so one of the open consoles
// (or the daemon) holds the poller lease; quitting hands it over.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CliError, EXIT } from '../exit.js';
import { parseDuration } from '../text/durations.js';
import { loadConsoleData } from '../../views/model/data.js';
import { StoreFollower } from '../../views/model/follow.js';
import { loadPlanSummary } from '../../views/model/plan.js';
import { plainSummary } from '../../views/model/summary.js';
import { resolveTheme } from '../../views/palette.js';
import { startIsOver } from '../started.js';
import { drawFirstFrame } from './first-frame.js';
import { consoleMode } from './mode.js';

export interface RunConsoleOptions {
  config?: string;
  store?: string;
  as?: string;
  /** No action that changes state; no poller either (a pure viewer). */
  readonly?: boolean;
  /** Read-only, cycles the panes, runs without a keyboard; it does poll (it can hold the lease). */
  wallboard?: boolean;
  /** Wallboard cycle, e.g. `15s`. */
  cycle?: string;
  /** Commander's `--no-color` sets `color: false`. */
  color?: boolean;
  /** Tests and embedding: skip the engine. */
  engine?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** A line for the status line while no message shows (the demo: its clock, a second console's command). */
  banner?: () => string;
  /**
   * The alternate screen is already the console's (the skeleton, src/console/skeleton.ts): the first
   * full frame is drawn there before Ink loads (first-frame.ts).
   */
  screenReady?: boolean;
}

/** How long the first frame waits for the store's first read (a store that does not answer still gets a console). */
const FIRST_READ_WAIT_MS = 2000;

/** When the first full frame was out, in the console's log (IMOS_CONSOLE_LOG): the start-up benchmark reads it. */
function logFirstFrame(): void {
  const file = process.env.IMOS_CONSOLE_LOG;
  if (!file) return;
  const cpu = process.cpuUsage();
  try {
    appendFileSync(file, `${new Date().toISOString()} first frame drawn ${Math.round(performance.now())} ms after start, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms\n`);
  } catch {
    // a log that cannot be written is not worth a crash
  }
}

/** Runs the console; resolves to the exit code. */
export async function runConsole(options: RunConsoleOptions = {}): Promise<number> {
  const cycleMs = options.cycle ? parseDuration(options.cycle) : 15_000;
  if (cycleMs === null || cycleMs < 1000) throw new CliError(`--cycle: "${options.cycle}" is not a duration of at least 1s (e.g. 15s, 1m)`, EXIT.usage);
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const { loadConfigOrExit } = await import('../config/load.js');
  const { openStore } = await import('../store/open.js');
  const config = await loadConfigOrExit(options.config);
  const store = await openStore(options.store ?? config.store);
  try {
    if (!stdout.isTTY) {
      const data = await loadConsoleData(store, config, Date.now(), loadPlanSummary);
      stdout.write(plainSummary(config, data, Date.now()));
      return EXIT.ok;
    }
    const follower = new StoreFollower(store, config, { now: Date.now, loadPlan: loadPlanSummary });
    const firstRead = new Promise<void>((resolve) => {
      const stop = follower.onUpdate(() => {
        stop();
        resolve();
      });
      setTimeout(resolve, FIRST_READ_WAIT_MS).unref();
    });
    follower.start();
    try {
      await firstRead;
      // The first full frame, with the figures, before Ink and React load (most of the start-up):
      // Ink's first frame then draws the same screen over it.
      if (options.screenReady && follower.data) {
        drawFirstFrame(stdout, {
          config,
          data: follower.data,
          mode: consoleMode(config, options),
          theme: resolveTheme({ noColor: options.color === false }),
          banner: options.banner?.() ?? null,
          storeError: follower.error,
        });
        logFirstFrame();
      }
      // Before Ink loads: what the start compiled is what the next start's code cache needs.
      startIsOver();
      const { runFullScreen } = await import('./full-screen.js');
      return await runFullScreen({ config, store, storeLocation: options.store ?? config.store, follower, options, cycleMs, stdout, stdin });
    } finally {
      follower.stop();
    }
  } finally {
    await store.close();
  }
}
