// Every CLI command module registers itself on the program here, one line each.
import type { Command } from 'commander';

export type RegisterCommands = (program: Command) => void;

const modules: RegisterCommands[] = [
  // (command modules are listed here as they land)
];

export function registerAllCommands(program: Command): void {
  for (const register of modules) register(program);
}
