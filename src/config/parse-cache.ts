// A large configuration's data, kept between runs. Reading the YAML of 10,000 checks is most of
// what `imos status` or `imos validate` does (about 190 ms against 37 ms to read the same data back
// from V8's serialisation; README, Performance: "Configuration at scale"), and a configuration
// changes far less often than commands run. An entry holds one of two things:
// - the parse: the data as the file writes it, before environment variables are put in (no secret
//   of the environment is ever written), validated again on every load, so every problem is still
//   found and reported with its line;
// - for a file found valid whose values name no environment variable, what validation made
//   of it: the file's keys and each check as the schemas read them (defaults put in). Validation is
//   a function of the text and of the build alone, so the same text read by the same build is
//   valid again, and is not validated again (load.ts); conditions and references are still read
//   (normalize.ts). A file that refers to the environment is validated on every load: its values
//   may change between runs, and are never written.
// The entry is used only for the same text read by the same build of imos.
import { createHash } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import { cacheDir, keepNewestCaches, readCacheFile, writeCacheFile } from '../cache-file.js';
import { textPieces } from '../text/pieces.js';

/** A cache file: this header, the SHA-256 of the rest (src/cache-file.ts), the key, the serialised data. */
const MAGIC = Buffer.from('imos-config-cache/2\n');
const KEY_BYTES = 32;
/**
 * Files shorter than this are parsed every time: a small file parses in a millisecond or two,
 * less than reading a cache costs (a chosen bound; 64 KB is about 400 checks).
 */
export const CACHE_FROM_CHARS = 64 * 1024;
/** Configuration files with an entry, at most (one entry each, the newest kept). */
export const MAX_CONFIG_CACHES = 16;

export interface ParseCache {
  /** The folder of the entries. */
  dir: string;
  /** Which parser: an entry made by another build of imos is never used. */
  build: string;
}

/**
 * The CLI's cache: in the cache folder, keyed by the built core's file (its name carries the hash
 * of its content). None when imos runs from its sources (tests, development): the parser may have
 * changed under the same name.
 */
export function defaultParseCache(env: NodeJS.ProcessEnv = process.env): ParseCache | undefined {
  const dir = cacheDir(env);
  const build = import.meta.url;
  return dir && /\/core-[0-9a-f]+\.cjs$/.test(build) ? { dir, build } : undefined;
}

/**
 * The key of an entry: the build, the Node that runs it (validation asks it whether a URL parses)
 * and the whole text (hashed a piece at a time: no copy of it all as bytes).
 */
function keyOf(text: string, build: string): Buffer {
  const hash = createHash('sha256').update(build).update('\0').update(process.version).update('\0');
  for (const piece of textPieces(text)) hash.update(piece);
  return hash.digest();
}

/** One entry per configuration file (by its absolute path): a changed file replaces its entry. */
function entryFile(dir: string, file: string): string {
  return path.join(dir, `config-${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16)}.v8`);
}

/** What validation made of a file (load.ts), kept for the next load of the same text. */
export interface ValidatedData {
  /** The file's keys as its schema read them (`checks` left empty: each check is below). */
  data: unknown;
  /** Each check as its schema read it, and the kind's options (often the same object). */
  checks: Array<[check: unknown, options: unknown]>;
}

/** What an entry holds: the parse, or what validation made of it. */
export type CachedConfig = { parsed: unknown } | { validated: ValidatedData };

/** The entry of one text of one file: what it holds for this text and build, and a way to replace it. */
export interface CacheSlot {
  readonly held: CachedConfig | undefined;
  /** Best effort: a value V8 cannot serialise, or a cache that cannot be written, keeps nothing. */
  keep(entry: CachedConfig): void;
}

/** The entry for `text`, the file's content; none without a cache or for a small file. */
export function cacheSlot(text: string, file: string, cache: ParseCache | undefined): CacheSlot | undefined {
  if (!cache || text.length < CACHE_FROM_CHARS) return undefined;
  const key = keyOf(text, cache.build);
  const entry = entryFile(cache.dir, file);
  return {
    held: readEntry(entry, key),
    keep(value: CachedConfig) {
      let bytes: Buffer;
      try {
        bytes = v8.serialize(value);
      } catch {
        return; // a value V8 cannot serialise: nothing kept
      }
      if (writeCacheFile(entry, MAGIC, [key, bytes])) {
        keepNewestCaches(cache.dir, (name) => name.startsWith('config-') && name.endsWith('.v8'), MAX_CONFIG_CACHES);
      }
    },
  };
}

function readEntry(entry: string, key: Buffer): CachedConfig | undefined {
  const stored = readCacheFile(entry, MAGIC);
  if (!stored || stored.length <= KEY_BYTES || !stored.subarray(0, KEY_BYTES).equals(key)) return undefined;
  try {
    const value = v8.deserialize(stored.subarray(KEY_BYTES)) as unknown;
    if (value && typeof value === 'object' && ('parsed' in value || 'validated' in value)) return value as CachedConfig;
  } catch {
    // not data this build can read: parsed again
  }
  return undefined;
}

/**
 * `parse()`'s data: the parse the slot holds, else parsed, and kept when `keep` (load.ts keeps it
 * itself once it knows whether the file is valid). `parse` is the reader bundled in the build
 * (js-yaml's fast path, yaml-fast.ts): what it declines (undefined) is kept nowhere, since the
 * `yaml` library that reads it then is installed apart from the build and may change under it. A
 * parse that throws keeps nothing either. Best effort: an unreadable, damaged or unwritable cache
 * only means parsing.
 */
export function parseInSlot(slot: CacheSlot | undefined, parse: () => unknown, keep = true): unknown {
  if (slot?.held && 'parsed' in slot.held) return slot.held.parsed;
  const data = parse();
  if (data !== undefined && keep) slot?.keep({ parsed: data });
  return data;
}
