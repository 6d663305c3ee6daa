// Runs a bundled CommonJS file (the CLI's core, scripts/core-build.mjs) compiled from V8's code
// cache: compiling the code the first frame runs is a large part of a cold start, and Node 20 keeps
// no cache for ES modules. The cache is an optimisation only: missing, stale (another build or
// Node), corrupt or unwritable, the file still runs, compiled from its source.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** A cache file: this header, the SHA-256 of the data, then V8's data. */
const MAGIC = Buffer.from('imos-v8-cache/1\n');
const DIGEST_BYTES = 32;

/** Where the cache lives: $IMOS_CACHE_DIR, else $XDG_CACHE_HOME/imos, else ~/.cache/imos. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.IMOS_CACHE_DIR) return env.IMOS_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (() => {
    try {
      return path.join(homedir(), '.cache');
    } catch {
      return '';
    }
  })();
  return base ? path.join(base, 'imos') : null;
}

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
  const caches: Array<{ name: string; mtimeMs: number }> = [];
  for (const name of readdirSync(dir)) {
    if (name === mine || !name.startsWith('core-') || !name.endsWith('.v8')) continue;
    const file = path.join(dir, name);
    try {
      // The build part of a name has no '-': another kind ending in this one's name is not matched.
      if (name.endsWith(suffix) && !name.slice('core-'.length, -suffix.length).includes('-')) rmSync(file, { force: true });
      else caches.push({ name, mtimeMs: statSync(file).mtimeMs });
    } catch {
      // gone meanwhile: another process is tidying at the same time
    }
  }
  caches.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { name } of caches.slice(MAX_CACHES - 1)) rmSync(path.join(dir, name), { force: true });
}

/** The cache's data when the file holds an intact one of this user's, else undefined. */
function readCache(file: string | null): Buffer | undefined {
  if (!file) return undefined;
  let bytes: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      // Compiled code runs as this user: only a cache this user wrote is used (IMOS_CACHE_DIR may
      // name a directory that others can write to).
      if (process.getuid && fstatSync(fd).uid !== process.getuid()) return undefined;
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (bytes.length <= MAGIC.length + DIGEST_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const digest = bytes.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES);
  const data = bytes.subarray(MAGIC.length + DIGEST_BYTES);
  // V8 checks the version and the source's length, not every byte: a damaged cache is not handed to it.
  return createHash('sha256').update(data).digest().equals(digest) ? data : undefined;
}

function writeCache(file: string, data: Buffer): boolean {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, Buffer.concat([MAGIC, createHash('sha256').update(data).digest(), data]));
    // Renamed into place: a reader sees the old cache or the new one, never half of one.
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
  try {
    tidyCaches(dir, path.basename(file));
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
