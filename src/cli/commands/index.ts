// Every CLI command module, by the command names it registers. Only the module of the command
// being run is loaded (start-up time is import time): `imos check` never loads the console, and
// `imos` (the console) never loads the database or Slack code until it needs them.
import type { Command } from 'commander';

export type RegisterCommands = (program: Command) => void;
type Loader = () => Promise<{ register: RegisterCommands }>;

const check: Loader = () => import('./check.js');
const status: Loader = () => import('./status.js');
const daemon: Loader = () => import('./daemon.js');
const config: Loader = () => import('./config.js');
const store: Loader = () => import('./store.js');
const matrix: Loader = () => import('./matrix.js');
const standup: Loader = () => import('./standup.js');
const today: Loader = () => import('./today.js');
const report: Loader = () => import('./report.js');
const alerts: Loader = () => import('./alerts.js');
const run: Loader = () => import('./run.js');
const serve: Loader = () => import('./serve.js');
const notify: Loader = () => import('./notify.js');
const consoleCommand: Loader = () => import('./console.js');
const demo: Loader = () => import('./demo.js');
const init: Loader = () => import('./init.js');
const gates: Loader = () => import('./gates.js');

/** Command name → the module that registers it (in the order `imos --help` lists them). */
export const COMMAND_MODULES: Record<string, Loader> = {
  console: consoleCommand,
  demo,
  init,
  check,
  status,
  daemon,
  alerts,
  ack: alerts,
  unack: alerts,
  resolve: alerts,
  snooze: alerts,
  run,
  standup,
  matrix,
  gates,
  today,
  report,
  serve,
  notify,
  validate: config,
  schema: config,
  store,
};

/** Register the named command's module, or every module (help, an unknown command); none for --version. */
export async function registerCommands(program: Command, name: string | undefined, args: string[] = []): Promise<void> {
  if (name === undefined && args.some((a) => a === '-V' || a === '--version')) return;
  const wanted = name && COMMAND_MODULES[name] && name !== 'help' ? [COMMAND_MODULES[name]!] : [...new Set(Object.values(COMMAND_MODULES))];
  const modules = await Promise.all(wanted.map((load) => load()));
  for (const module of modules) module.register(program);
}
