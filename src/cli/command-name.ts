// Which command the arguments run, on its own: the built CLI's entry (src/cli/entry.ts) asks it
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

/** `imos` with no command opens the console (help and version excepted): `imos --as me --readonly`. */
export function withDefaultCommand(args: string[]): string[] {
  if (commandNameOf(args) !== undefined) return args;
  if (args.some((a) => ['-h', '--help', '-V', '--version'].includes(a))) return args;
  const globalsWithValue = new Set(['-c', '--config', '--store', '--as']);
  let at = 0;
  while (at < args.length) {
    const arg = args[at]!;
    if (globalsWithValue.has(arg)) at += 2;
    else if (/^(--config|--store|--as)=/.test(arg)) at += 1;
    else break;
  }
  return [...args.slice(0, at), 'console', ...args.slice(at)];
}
