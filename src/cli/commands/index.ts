// Every CLI command module registers itself on the program here, one line each.
import type { Command } from 'commander';

import { register as check } from './check.js';
import { register as config } from './config.js';
import { register as daemon } from './daemon.js';
import { register as status } from './status.js';
import { register as store } from './store.js';
import { register as matrix } from './matrix.js';
import { register as standup } from './standup.js';
import { register as today } from './today.js';
import { register as report } from './report.js';
import { register as alerts } from './alerts.js';
import { register as serve } from './serve.js';
import { register as notify } from './notify.js';
import { register as consoleCommand } from './console.js';
import { register as demo } from './demo.js';
import { register as init } from './init.js';

export type RegisterCommands = (program: Command) => void;

const modules: RegisterCommands[] = [
  check,
  status,
  daemon,
  config,
  store,
  matrix,
  standup,
  today,
  report,
  alerts,
  serve,
  notify,
  consoleCommand,
  demo,
  init,
];

export function registerAllCommands(program: Command): void {
  for (const register of modules) register(program);
}
