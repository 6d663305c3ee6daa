// `imos console`: opens the configuration and the store, and either runs the full-screen console
// (alternate screen, restored on quit / crash / signals) or, without a terminal on stdout, prints
// the plain status summary and exits. The console starts an engine, so one of the open consoles
// (or the daemon) holds the poller lease; quitting hands it over.
import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import { createElement } from 'react';
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { CliError, EXIT } from '../exit.js';
import { actorName, isUnknownActor, refusesUnknownActors } from '../identity.js';
import { parseDuration } from '../text/durations.js';
import { ConsoleApp } from '../../views/App.js';
import { resolveTheme } from '../../views/theme.js';
import { loadConsoleData } from '../../views/model/data.js';
import { loadPlanSummary } from '../../views/model/plan.js';
import { storeActions } from '../../views/model/store-actions.js';
import { plainSummary } from '../../views/model/summary.js';
import { enterTerminal, signalExitCode } from './terminal.js';
import { frameStdout } from './frame-stdout.js';

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
}

interface EngineLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  isHolder(): boolean;
  runNow(ids?: string[]): Promise<void>;
}

/** Runs the console; resolves to the exit code. */
export async function runConsole(options: RunConsoleOptions = {}): Promise<number> {
  const cycleMs = options.cycle ? parseDuration(options.cycle) : 15_000;
  if (cycleMs === null || cycleMs < 1000) throw new CliError(`--cycle: "${options.cycle}" is not a duration of at least 1s (e.g. 15s, 1m)`, EXIT.usage);
  const { loadConfigOrExit } = await import('../config/load.js');
  const { openStore } = await import('../store/open.js');
  const config = await loadConfigOrExit(options.config);
  const store = await openStore(options.store ?? config.store);
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  try {
    if (!stdout.isTTY) {
      const data = await loadConsoleData(store, config, Date.now(), loadPlanSummary);
      stdout.write(plainSummary(config, data, Date.now()));
      return EXIT.ok;
    }
    return await runFullScreen(config, store, options, cycleMs, stdout, stdin);
  } finally {
    await store.close();
  }
}

async function runFullScreen(
  config: ImosConfig,
  store: Store,
  options: RunConsoleOptions,
  cycleMs: number,
  stdout: NodeJS.WriteStream,
  stdin: NodeJS.ReadStream,
): Promise<number> {
  const actor = actorName(options.as);
  const wallboard = Boolean(options.wallboard);
  // A name not in `people` where the workspace refuses those: the console opens read-only and its
  // header says why (views/Header.tsx).
  const refused = isUnknownActor(config, actor) && refusesUnknownActors(config);
  const readonly = Boolean(options.readonly) || wallboard || refused;
  const wantEngine = options.engine ?? !options.readonly;
  const logFile = process.env.IMOS_CONSOLE_LOG;
  // Never write logs to the screen: Ink owns it.
  const log = (line: string) => {
    if (logFile) {
      try {
        appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
      } catch {
        // a log that cannot be written is not worth a crash
      }
    }
  };
  let engine: EngineLike | null = null;
  const startEngine = async () => {
    // After the first frame: the engine pulls in the check kinds and the notifiers.
    const [{ Engine }, { buildPipeline }] = await Promise.all([import('../engine/engine.js'), import('../engine/pipeline.js')]);
    const pipeline = await buildPipeline(config, store);
    if (stopping) return; // quit before the engine was ready: never start it
    const e = new Engine({ config, store, role: wallboard ? 'wallboard' : 'console', pipeline, log });
    engine = e;
    await e.start();
  };
  // One stop for everyone who asks (a signal and the quitting screen both do): the store must not
  // close under an engine still handing its lease over.
  let stopping: Promise<void> | null = null;
  const stopEngine = (): Promise<void> =>
    (stopping ??= (async () => {
      const e = engine;
      engine = null;
      if (e) await Promise.race([e.stop(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    })());

  const actions = storeActions({
    store,
    config,
    actor,
    now: Date.now,
    runHere: async (ids) => {
      const e = engine as EngineLike | null;
      if (!e || !e.isHolder()) return false;
      await e.runNow(ids);
      return true;
    },
  });

  let instance: ReturnType<typeof render> | null = null;
  let signalled: number | null = null;
  const terminal = enterTerminal({
    fd: (stdout as { fd?: number }).fd ?? 1,
    onSignal: (signal, error) => {
      signalled = signalExitCode(signal);
      if (signal === 'crash') process.stderr.write(`imos: the console crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      try {
        instance?.unmount();
      } catch {
        // already gone
      }
      // Hand the lease over, then leave even if that hangs. After a hangup the terminal is gone:
      // dying of the signal itself skips Node's exit-time terminal reset, which aborts on a dead tty.
      const leave = () => {
        if (signal === 'SIGHUP') {
          terminal.restore();
          process.kill(process.pid, 'SIGHUP');
          return;
        }
        process.exit(signalled ?? 1);
      };
      void stopEngine().finally(leave);
      setTimeout(leave, 4000).unref();
    },
  });
  // Every timer of the console and the engine is unref'd; without a keyboard (the wallboard on a
  // non-TTY stdin) nothing else would keep the process alive until it is told to quit.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    instance = render(
      createElement(ConsoleApp, {
        config,
        store,
        actions,
        actor,
        readonly,
        wallboard,
        cycleMs,
        theme: resolveTheme({ noColor: options.color === false }),
        loadPlan: loadPlanSummary,
        onQuit: () => instance?.unmount(),
      }),
      { stdout: frameStdout(stdout, terminal.active), stdin, stderr: process.stderr, patchConsole: false, exitOnCtrlC: false, incrementalRendering: true },
    );
    if (wantEngine) startEngine().catch((err) => log(`engine: ${String(err)}`));
    await instance.waitUntilExit();
  } finally {
    clearInterval(keepAlive);
    await stopEngine();
    terminal.restore();
  }
  return signalled ?? EXIT.ok;
}
