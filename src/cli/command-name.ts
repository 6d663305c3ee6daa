// Which command the arguments name, on its own: the built CLI's entry (src/cli/entry.ts) asks it
// before the rest of the CLI has loaded, to pick the code cache of the console or of the commands.

/**
 * The command the arguments name, if any (skipping the global options and their values, and the
 * console's `--cycle` value: `imos --wallboard --cycle 20s` is the console, not a command "20s").
 */
export function commandNameOf(args: string[]): string | undefined {
  const withValue = new Set(['-c', '--config', '--store', '--as', '--cycle']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (withValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
