// Runs a bundled CommonJS file (the CLI's core, scripts/core-build.mjs) compiled from V8's code
// cache: compiling the code the first frame runs is a large part of a cold start, and Node 20 keeps
// no cache for ES modules. The cache is an optimisation only: missing, stale (another build or
// Node), corrupt or unwritable, the file still runs, compiled from its source.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { cacheDir, keepNewestCaches, readCacheFile, writeCacheFile } from '../cache-file.js';

/** A cache file: this header, the SHA-256 of the data, then V8's data (src/cache-file.ts). */
const MAGIC = Buffer.from('imos-v8-cache/1\n');

/** Where the cache lives (src/cache-file.ts). */
export const codeCacheDir = cacheDir;

export interface CachedScriptOptions {
  /** The CommonJS file to run. */
  file: string;
  /** The build's hash of the file's content: a cache made from other content is never used. */
  hash: string;
  /** A name for this use of the file (one cache each: the console runs other code than a command). */
  kind: string;
  /** Where caches are kept; null: none. */
  cacheDir: string | null;
  /** Values the file sees besides require, module and exports (its free variables). */
  globals?: Record<string, unknown>;
}

export interface CachedScript {
  exports: Record<string, unknown>;
  /** Whether V8 compiled the file from the cache. */
  fromCache: boolean;
  /**
   * Store the code compiled so far as the cache, when there was none to use. Best effort: returns
   * whether it was stored.
   */
  saveCache(): boolean;
}

/**
 * Caches kept in the folder at most, newest first: several checkouts (or installs) of imos share
 * the folder, and one that was deleted never tidies its own caches away.
 */
export const MAX_CACHES = 16;

/**
 * `core-BUILD-KIND-CHECKOUT-NODE-ARCH.v8`: CHECKOUT names the folder the file is in (a checkout's
 * or install's dist/; the build is in the file's own name), so that a build's caches can tell
 * which other caches an older build of the same checkout left.
 */
function cacheFileOf(options: CachedScriptOptions): string | null {
  if (!options.cacheDir) return null;
  const kind = options.kind.replace(/[^A-Za-z0-9]/g, '_');
  const checkout = createHash('sha256').update(path.dirname(path.resolve(options.file))).digest('hex').slice(0, 12);
  return path.join(options.cacheDir, `core-${options.hash.replace(/[^A-Za-z0-9]/g, '_')}-${kind}-${checkout}-${process.version}-${process.arch}.v8`);
}

/**
 * After a cache is stored: the caches an older build of the same checkout left for the same use are
 * of no more use, and go; other checkouts' caches stay (two checkouts used in turn would otherwise
 * each drop the other's and compile from source every time), up to MAX_CACHES in all, the oldest
 * dropped first. Bounding by count rather than asking whether a checkout still exists: the check
 * would cost a look at every other checkout, and a checkout that exists may be one never used again.
 */
function tidyCaches(dir: string, mine: string): void {
  const suffix = mine.slice(mine.indexOf('-', 'core-'.length));
  for (const name of readdirSync(dir)) {
    // The build part of a name has no '-': another kind ending in this one's name is not matched.
    if (name !== mine && name.startsWith('core-') && name.endsWith(suffix) && !name.slice('core-'.length, -suffix.length).includes('-')) {
      rmSync(path.join(dir, name), { force: true });
    }
  }
  keepNewestCaches(dir, (name) => name.startsWith('core-') && name.endsWith('.v8'), MAX_CACHES);
}

/** The cache's data when the file holds an intact one of this user's, else undefined. */
function readCache(file: string | null): Buffer | undefined {
  // V8 checks the version and the source's length, not every byte: a damaged cache is not handed to it.
  return file ? readCacheFile(file, MAGIC) : undefined;
}

function writeCache(file: string, data: Buffer): boolean {
  if (!writeCacheFile(file, MAGIC, data)) return false;
  try {
    tidyCaches(path.dirname(file), path.basename(file));
  } catch {
    // another process may be tidying at the same time
  }
  return true;
}

/** Run `file` as a CommonJS module (require, module, exports, __filename, __dirname, and `globals`). */
export function runCachedScript(options: CachedScriptOptions, require: NodeJS.Require): CachedScript {
  const cacheFile = cacheFileOf(options);
  const cachedData = readCache(cacheFile);
  const source = readFileSync(options.file, 'utf8');
  const names = Object.keys(options.globals ?? {});
  const wrapped = `(function (exports, require, module, __filename, __dirname${names.map((n) => `, ${n}`).join('')}) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: options.file, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown> };
  run.call(module.exports, module.exports, require, module, options.file, path.dirname(options.file), ...names.map((n) => options.globals![n]));
  let saved = false;
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      if (fromCache || saved || !cacheFile) return false;
      saved = true;
      try {
        return writeCache(cacheFile, script.createCachedData());
      } catch {
        return false;
      }
    },
  };
}
