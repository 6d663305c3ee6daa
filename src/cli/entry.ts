// The built CLI's entry (dist/imos.js, loaded by bin/imos.js): runs the core — the command line and
// everything the console needs up to its first full frame, one CommonJS file — compiled from V8's
// code cache (code-cache.ts), and lets the rest of the CLI, ES modules loaded on demand, use the
// core's own modules (scripts/core-build.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { commandNameOf } from './command-name.js';
import { codeCacheDir, runCachedScript } from './code-cache.js';
import { STARTED_EVENT } from '../heap.js';

/** Set by the build: the core's file name and content hash, and the late modules' files by name. */
declare const __IMOS_CORE__: { file: string; hash: string; late: Record<string, string> };

/** Must match CORE_MODULES_KEY in scripts/core-build.mjs. */
const CORE_MODULES_KEY = 'imos.core.modules';

const coreUrl = new URL(`./${__IMOS_CORE__.file}`, import.meta.url);
const coreFile = fileURLToPath(coreUrl);

/** The core's on-demand imports of the late part: `__imosImport("./late/NAME")`. */
async function importLate(specifier: string): Promise<unknown> {
  const name = specifier.replace(/^\.\/late\//, '');
  const file = __IMOS_CORE__.late[name];
  if (!file) throw new Error(`imos: this build has no module ${name}; run \`npm run build\` again`);
  return ((await import(new URL(`./${file}`, import.meta.url).href)) as { __ns: unknown }).__ns;
}

/** The console (which draws a first frame) and the other commands run different code: a cache each. */
function kindOf(args: string[]): string {
  const name = commandNameOf(args);
  if (name === 'console' || name === 'demo') return 'console';
  if (name === undefined && !args.some((a) => ['-h', '--help', '-V', '--version'].includes(a))) return 'console';
  return 'cli';
}

const core = runCachedScript(
  {
    file: coreFile,
    hash: __IMOS_CORE__.hash,
    kind: kindOf(process.argv.slice(2)),
    cacheDir: codeCacheDir(),
    globals: { __imosCoreUrl: coreUrl.href, __imosImport: importLate },
  },
  createRequire(coreFile),
);
(globalThis as Record<symbol, unknown>)[Symbol.for(CORE_MODULES_KEY)] = core.exports.modules;
// The code compiled so far goes into the cache (when there was none to use) once the start is over:
// for the console, right after its first full frame; for a command, at its exit (V8 flags change
// after STARTED_EVENT, and V8 refuses a cache made under other flags than a start's).
process.once(STARTED_EVENT, () => core.saveCache());
process.once('exit', () => core.saveCache());

export const main = core.exports.main as (argv?: string[]) => Promise<number>;
