// The full-screen console: Ink on the alternate screen (restored on quit / crash / signals), the
// engine started after the first frame. Loaded by run.ts once the first frame, drawn without Ink,
// is on the screen (Ink and the panes are most of the start-up).
import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import { createElement } from 'react';
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { EXIT } from '../exit.js';
import { ConsoleApp } from '../../views/App.js';
import { resolveTheme } from '../../views/theme.js';
import type { StoreFollower } from '../../views/model/follow.js';
import { loadPlanSummary } from '../../views/model/plan.js';
import { storeActions } from '../../views/model/store-actions.js';
import { enterTerminal, signalExitCode } from './terminal.js';
import { consoleMode } from './mode.js';
import { frameStdout } from './frame-stdout.js';
import { watchWorkspace, workspacePaths } from './workspace-watch.js';
import { appendHistory, historyFile, loadHistory } from './command-history.js';
import type { RunConsoleOptions } from './run.js';

interface EngineLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  isHolder(): boolean;
  runNow(ids?: string[]): Promise<void>;
}

export interface FullScreenInput {
  config: ImosConfig;
  store: Store;
  /** Where the store is (a file or a URL): the console watches the workspace's files. */
  storeLocation: string;
  /** Started by the launcher: its first read is the first frame's data. */
  follower: StoreFollower;
  options: RunConsoleOptions;
  cycleMs: number;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export async function runFullScreen({ config, store, storeLocation, follower, options, cycleMs, stdout, stdin }: FullScreenInput): Promise<number> {
  const { actor, wallboard, readonly } = consoleMode(config, options);
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
    const e = new Engine({
      config,
      store,
      role: wallboard ? 'wallboard' : 'console',
      pipeline,
      log,
      // Polling here and the results cannot be stored: the header says so from the first failure.
      onWriteFailure: (reason) => {
        if (reason) log(`cannot record results: ${reason}`);
        show({ pollerProblem: reason });
      },
    });
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
      // A lease that cannot be handed over (the store's directory removed) is only logged.
      if (e) await Promise.race([e.stop().catch((err: unknown) => log(`engine stop: ${String(err)}`)), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
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
  /** The props rendered last, and a re-render with some of them changed (after the first frame). */
  let shown: Parameters<typeof ConsoleApp>[0] | null = null;
  const show = (change: Partial<Parameters<typeof ConsoleApp>[0]>) => {
    if (!shown) return;
    shown = { ...shown, ...change };
    instance?.rerender(createElement(ConsoleApp, shown));
  };
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
      // An action this console runs is stopped and recorded first (its program would outlive us).
      void Promise.all([actions.stopActions().catch((err: unknown) => log(`stopping actions: ${String(err)}`)), stopEngine()]).finally(leave);
      setTimeout(leave, 4000).unref();
    },
  });
  // Every timer of the console and the engine is unref'd; without a keyboard (the wallboard on a
  // non-TTY stdin) nothing else would keep the process alive until it is told to quit.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let stopWatching = () => {};
  const historyPath = historyFile(storeLocation, actor);
  try {
    const props = {
        config,
        store,
        actions,
        actor,
        readonly,
        wallboard,
        cycleMs,
        theme: resolveTheme({ noColor: options.color === false }),
        loadPlan: loadPlanSummary,
        follower,
        onQuit: () => instance?.unmount(),
        gone: null as string | null,
        pollerProblem: null as string | null,
        banner: options.banner,
        commandHistory: { initial: loadHistory(historyPath), remember: (line: string) => appendHistory(historyPath, line) },
      };
    shown = props;
    instance = render(
      createElement(ConsoleApp, props),
      { stdout: frameStdout(stdout, terminal.active), stdin, stderr: process.stderr, patchConsole: false, exitOnCtrlC: false, incrementalRendering: true },
    );
    if (wantEngine) startEngine().catch((err) => log(`engine: ${String(err)}`));
    // The workspace removed under the console: stop polling it, say so, keep the last screen.
    stopWatching = watchWorkspace(workspacePaths(config.file, storeLocation), (reason) => {
      log(reason);
      follower.stop();
      void stopEngine();
      show({ gone: reason });
    });
    await instance.waitUntilExit();
  } finally {
    stopWatching();
    clearInterval(keepAlive);
    // Runs still going (the screen quit by another way than q) end here, recorded, before the store closes.
    await actions.stopActions().catch((err: unknown) => log(`stopping actions: ${String(err)}`));
    await stopEngine();
    terminal.restore();
  }
  return signalled ?? EXIT.ok;
}
