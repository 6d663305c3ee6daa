// Files imos keeps only to be faster (compiled code, a large configuration's parsed data), in one
// folder per user. A cache is an optimisation only: missing, someone else's, damaged or unwritable,
// the work is done again and nothing else changes.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const DIGEST_BYTES = 32;

/** Where caches live: $IMOS_CACHE_DIR, else $XDG_CACHE_HOME/imos, else ~/.cache/imos. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
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

/**
 * The data of a cache file (`magic`, the SHA-256 of the data, the data) when the file holds an
 * intact one that this user wrote, else undefined.
 */
export function readCacheFile(file: string, magic: Buffer): Buffer | undefined {
  let bytes: Buffer;
  try {
    // Not blocking on a pipe someone put in its place.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd);
      // What a cache holds is run or trusted as this user: only a file this user wrote is used
      // (IMOS_CACHE_DIR may name a directory that others can write to).
      if (!stat.isFile() || (process.getuid && stat.uid !== process.getuid())) return undefined;
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (bytes.length <= magic.length + DIGEST_BYTES || !bytes.subarray(0, magic.length).equals(magic)) return undefined;
  const digest = bytes.subarray(magic.length, magic.length + DIGEST_BYTES);
  const data = bytes.subarray(magic.length + DIGEST_BYTES);
  return createHash('sha256').update(data).digest().equals(digest) ? data : undefined;
}

/**
 * Store `data` (given in parts, written one after another: no copy of them joined) as a cache file,
 * renamed into place: a reader sees the old or the new one. Best effort: whether it was stored.
 */
export function writeCacheFile(file: string, magic: Buffer, data: Buffer | readonly Buffer[]): boolean {
  const parts = Buffer.isBuffer(data) ? [data] : data;
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // Private to this user: a cache may hold what the configuration file holds.
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // A new file of its own ('wx'): never one, or a link, that someone else put at that name.
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      for (const part of [magic, digest.digest(), ...parts]) {
        for (let at = 0; at < part.length; ) at += writeSync(fd, part, at);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // no folder to have left it in
    }
    return false;
  }
}

/** A temporary file older than this was left by a process that died while writing it. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/**
 * Keeps at most `max` of the cache files in `dir` that `mine` (a name) accepts, the newest; the
 * others go, and so do their temporary files left by a process that died while writing. Best
 * effort: another process may be tidying at the same time.
 */
export function keepNewestCaches(dir: string, mine: (name: string) => boolean, max: number): void {
  const caches: Array<{ name: string; mtimeMs: number }> = [];
  try {
    for (const name of readdirSync(dir)) {
      const temporary = /\.\d+\.tmp$/.test(name);
      if (!mine(temporary ? name.replace(/\.\d+\.tmp$/, '') : name)) continue;
      try {
        const { mtimeMs } = statSync(path.join(dir, name));
        if (!temporary) caches.push({ name, mtimeMs });
        else if (Date.now() - mtimeMs > STALE_TEMPORARY_MS) rmSync(path.join(dir, name), { force: true });
      } catch {
        // gone meanwhile
      }
    }
    caches.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { name } of caches.slice(max)) rmSync(path.join(dir, name), { force: true });
  } catch {
    // the folder is gone or unreadable: nothing to keep tidy
  }
}
