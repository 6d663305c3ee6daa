// The built CLI's entry (dist/imos.js, loaded by bin/imos.js): runs the core — the command line and
// everything the console needs up to its first full frame, one CommonJS file — compiled from V8's
// code cache (code-cache.ts), and lets the rest of the CLI, ES modules loaded on demand, use the
// core's own modules (scripts/core-build.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { commandNameOf, withDefaultCommand } from './command-name.js';
import { codeCacheDir, runCachedScript } from './code-cache.js';
import { STARTED_EVENT } from '../started.js';
import { keepHeapNearLiveData, LONG_RUNNING_COMMANDS } from '../heap.js';
import { VERSION } from '../version.js';

export { leaveWhenWritten } from './leave.js';

/**
 * Set by the build: the core's file name and content hash, the late modules' files by name, and
 * the global (`Symbol.for(modulesKey)`) through which the late part reaches the core's modules.
 */
declare const __IMOS_CORE__: { file: string; hash: string; late: Record<string, string>; modulesKey: string };

const coreUrl = new URL(`./${__IMOS_CORE__.file}`, import.meta.url);
const coreFile = fileURLToPath(coreUrl);

/** The core's on-demand imports of the late part: `__imosImport("./late/NAME")`. */
async function importLate(specifier: string): Promise<unknown> {
  const name = specifier.replace(/^\.\/late\//, '');
  const file = __IMOS_CORE__.late[name];
  if (!file) throw new Error(`imos: this build has no module ${name}; run \`npm run build\` again`);
  return ((await import(new URL(`./${file}`, import.meta.url).href)) as { __ns: unknown }).__ns;
}

type Main = (argv?: string[]) => Promise<number>;

/** Run the core (once): the CLI's main(), and its modules for the late part. */
function loadCore(args: string[]): Main {
  const command = commandNameOf(withDefaultCommand(args)) ?? '';
  // V8 accepts a code cache only under the flags it was made with: a long-running process sets its
  // heap's flags (as main() does) before the core compiles, so its cache is made and used under them.
  // One cache each for the console, the daemon and `imos serve`, one for the other commands.
  const longRunning = LONG_RUNNING_COMMANDS.has(command);
  if (longRunning) keepHeapNearLiveData();
  const core = runCachedScript(
    {
      file: coreFile,
      hash: __IMOS_CORE__.hash,
      kind: longRunning ? command : 'cli',
      cacheDir: codeCacheDir(),
      globals: { __imosCoreUrl: coreUrl.href, __imosImport: importLate },
    },
    createRequire(coreFile),
  );
  (globalThis as Record<symbol, unknown>)[Symbol.for(__IMOS_CORE__.modulesKey)] = core.exports.modules;
  // The code compiled so far goes into the cache (when there was none to use) once the start is
  // over: for the console, right after its first full frame (src/started.ts); a command, at its exit.
  process.once(STARTED_EVENT, () => core.saveCache());
  process.once('exit', () => core.saveCache());
  return core.exports.main as Main;
}

/** Run the CLI with `argv` (process.argv style); resolves to the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const args = argv.slice(2);
  // `imos --version` alone: answered without the core, as the command line would answer it.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  return loadCore(args)(argv);
}
