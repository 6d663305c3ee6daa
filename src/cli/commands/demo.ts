// `imos demo [--headless] [--speed 60] [--port 3401]` (what `npm start` runs): the example
// integration, live, in a temporary directory; then the console on it, with the HTTP face (the web
// dashboard) beside it. With --headless, the engine runs as the daemon would and the HTTP face
// serves it, until SIGTERM / SIGINT / SIGHUP. Either way, leaving stops every server, PostgreSQL
// and the engine and deletes the directory.
import type { Command } from 'commander';
import { redactUrl } from '../../text/redact.js';
import { CliError, EXIT } from '../context.js';
import { processLog } from '../log.js';
import { STOP_SIGNALS } from '../stop-signals.js';
import { parsePort } from './serve.js';
import type { DemoWorld } from '../../demo/world.js';

interface DemoCommandOptions {
  headless?: boolean;
  speed: string;
  port: string;
  postgres?: boolean;
}

export function parseSpeed(text: string): number {
  const speed = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(speed) || speed < 1 || speed > 3600) {
    throw new CliError(`--speed: expected demo minutes per real minute, 1 to 3600 (60: one demo minute per second), got "${text}"`, EXIT.usage);
  }
  return speed;
}

/** `--store` on the demo names the kind of store it makes for itself. */
export function demoStoreKind(value: string | undefined): 'json' | 'postgres' {
  const kind = (value ?? 'json').trim().toLowerCase();
  if (kind === 'json' || kind === 'postgres') return kind;
  throw new CliError(`imos demo --store takes json or postgres (the demo makes its own store), got "${value}"`, EXIT.usage);
}

interface DemoRunOptions {
  speed: number;
  postgres: boolean;
  store: 'json' | 'postgres';
  /** Who acts in the demo's console (`--as`: e.g. luna, who may run the sync recovery). */
  as?: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('the example hotel integration, live on loopback, then the console (--headless: engine + HTTP face)')
    .option('--headless', 'no console: run the engine as the daemon does and serve the dashboard and status JSON on --port')
    .option('--speed <n>', 'demo minutes per real minute (60: one demo minute per second)', '60')
    .option('--port <port>', 'port of the HTTP face, the web dashboard (0 = a free port; beside the console, a free one when taken)', '3401')
    .option('--no-postgres', 'do not start PostgreSQL (the database checks are off)')
    .addHelpText('after', '\nWith --store postgres the demo keeps its own store in its PostgreSQL too (the team set-up), instead of JSON files.')
    .action(async (opts: DemoCommandOptions, command: Command) => {
      const speed = parseSpeed(opts.speed);
      const port = parsePort(opts.port);
      const store = demoStoreKind(command.optsWithGlobals<{ store?: string }>().store);
      if (store === 'postgres' && opts.postgres === false) throw new CliError('--store postgres needs PostgreSQL: leave out --no-postgres', EXIT.usage);
      const as = command.optsWithGlobals<{ as?: string }>().as;
      const options = { speed, postgres: opts.postgres !== false, store, ...(as !== undefined ? { as } : {}) };
      process.exitCode = opts.headless ? await runHeadless(options, port) : await runWithConsole(options, port);
    });
}

const stderrLine = (line: string) => process.stderr.write(`imos demo: ${line}\n`);

/** Resolves on the first stop signal; the handlers are removed again by the returned function. */
function untilSignal(): { done: Promise<NodeJS.Signals>; received(): NodeJS.Signals | null; dispose(): void } {
  let dispose = () => {};
  let received: NodeJS.Signals | null = null;
  const done = new Promise<NodeJS.Signals>((resolve) => {
    const handlers = STOP_SIGNALS.map((signal) => {
      const handler = () => {
        received ??= signal;
        resolve(signal);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    dispose = () => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    };
  });
  return { done, received: () => received, dispose: () => dispose() };
}

async function runHeadless(options: DemoRunOptions, port: number): Promise<number> {
  const stopping = untilSignal();
  const { startDemoWorld } = await import('../../demo/world.js');
  const world = await startDemoWorld({ ...options, log: stderrLine, progress: stderrLine });
  const cleanups: Array<() => Promise<void>> = [() => world.stop()];
  // A second signal while stopping: leave now (the exit hooks still stop PostgreSQL and delete files).
  const crash = (error: unknown) => {
    stderrLine(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  try {
    const [{ openStore }, { Engine }, { buildPipeline }, { startServer }, { systemClock }] = await Promise.all([
      import('../../store/open.js'),
      import('../../engine/engine.js'),
      import('../../engine/pipeline.js'),
      import('../../server/server.js'),
      import('../../time/clock.js'),
    ]);
    const store = await openStore(world.workspace.store);
    cleanups.push(() => store.close());
    const log = processLog(world.config);
    const engine = new Engine({ config: world.config, store, role: 'daemon', pipeline: await buildPipeline(world.config, store, { log }), log });
    await engine.start();
    cleanups.push(() => engine.stop());
    let server;
    try {
      server = await startServer({ store, config: world.config, clock: systemClock, host: '127.0.0.1', port, log });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use (choose another with --port, or 0 for a free one)`);
      throw error;
    }
    cleanups.push(() => server.close());
    process.stdout.write(
      [
        `imos demo: "${world.config.project}" is live (speed ${options.speed}: one demo minute per ${+(60 / options.speed).toFixed(2)} s)`,
        `  dashboard: ${server.url}/dashboard`,
        `  status:    ${server.url}/api/status`,
        `  alerts:    ${server.url}/api/alerts`,
        `  workspace: ${world.workspace.dir}`,
        `  store:     ${redactUrl(world.workspace.store)}`,
        ...Object.entries(world.urls).map(([system, url]) => `  ${system.padEnd(12)} ${url}/health`),
        `  console:   ${secondConsoleCommand(world, options.store)} (in another terminal)`,
        world.postgresNotice ? `  note:      ${world.postgresNotice}` : `  database:  ${redactUrl(world.env.DATABASE_URL ?? '')}`,
        'Stop with Ctrl-C (or SIGTERM): everything started here is stopped and removed.',
        '',
      ].join('\n'),
    );
    const signal = await stopping.done;
    stderrLine(`${signal}: stopping`);
    return EXIT.ok;
  } finally {
    stopping.dispose();
    // Forced exit if teardown hangs; a second signal also leaves at once.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    for (const signal of STOP_SIGNALS) process.once(signal, () => process.exit(1));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    process.removeListener('uncaughtException', crash);
    clearTimeout(force);
  }
}

/** The command that opens another console on the demo's workspace (the store's password redacted). */
function secondConsoleCommand(world: DemoWorld, store: DemoRunOptions['store']): string {
  return `imos console --config ${world.workspace.config}${store === 'postgres' ? ` --store ${redactUrl(world.workspace.store)}` : ''}`;
}

/**
 * The HTTP face beside the console (the web dashboard on its own store handle, logging nowhere:
 * the console owns the screen). The port asked for, else a free one: the console must open anyway.
 */
async function startDashboardBeside(world: DemoWorld, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const [{ openStore }, { startServer }, { systemClock }] = await Promise.all([
    import('../../store/open.js'),
    import('../../server/server.js'),
    import('../../time/clock.js'),
  ]);
  const store = await openStore(world.workspace.store);
  const start = (on: number) => startServer({ store, config: world.config, clock: systemClock, host: '127.0.0.1', port: on });
  try {
    const server = await start(port).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || port === 0) throw error;
      stderrLine(`port ${port} is in use: the dashboard takes a free one`);
      return start(0);
    });
    return { url: server.url, close: async () => (await server.close(), await store.close()) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function runWithConsole(options: DemoRunOptions, port: number): Promise<number> {
  const stopping = untilSignal();
  const { startDemoWorld } = await import('../../demo/world.js');
  // Story lines would draw over the console: only progress before it opens goes to stderr.
  const world = await startDemoWorld({ ...options, progress: stderrLine });
  let dashboard: Awaited<ReturnType<typeof startDashboardBeside>> | null = null;
  try {
    dashboard = await startDashboardBeside(world, port);
    // Seen before the console opens and again after it closes (the console draws on the alternate screen).
    stderrLine(`the web dashboard: ${dashboard.url}/dashboard`);
  } catch (error) {
    stderrLine(`no web dashboard: ${error instanceof Error ? error.message : String(error)}`);
  }
  stopping.dispose();
  // The console handles signals itself (restores the terminal, hands the lease over, exits);
  // the world's exit hooks then stop PostgreSQL and delete the directory. This listener stays so
  // that Ink's signal-exit does not re-raise the signal first (which would skip every hook), and
  // makes sure the process leaves even if the console did not.
  const backstop = (signal: NodeJS.Signals) => {
    setTimeout(() => process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15)), 6000).unref();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, backstop);
  try {
    const early = stopping.received();
    if (early) {
      stderrLine(`${early}: stopping`);
      return EXIT.ok;
    }
    if (!process.stdout.isTTY) stderrLine('no terminal on stdout: printing the status once (for a running demo without a terminal, use --headless)');
    const { runConsole } = await import('../../console/run.js');
    // The console's own status line says what the demo is at, and how to open a second console.
    const second = secondConsoleCommand(world, options.store);
    return await runConsole({ config: world.workspace.config, store: world.workspace.store, ...(options.as !== undefined ? { as: options.as } : {}), banner: () => `demo ${world.demoClock()} · second console: ${second}` });
  } finally {
    // Bounded like --headless: a teardown that hangs must not keep the terminal; the exit hooks
    // still stop PostgreSQL and delete the workspace.
    const force = setTimeout(() => {
      stderrLine('stopping took longer than 10 s: leaving now');
      process.exit(1);
    }, 10_000);
    force.unref();
    await dashboard?.close().catch(() => {});
    await world.stop();
    clearTimeout(force);
    for (const signal of STOP_SIGNALS) process.removeListener(signal, backstop);
  }
}

