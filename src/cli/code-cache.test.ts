import { createRequire } from 'node:module';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheDir, runCachedScript, type CachedScriptOptions } from './code-cache.js';

let dir = '';
let file = '';
const require = createRequire(import.meta.url);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imos-code-cache-'));
  file = path.join(dir, 'core.cjs');
  // Enough code for V8 to cache: functions that run, one that uses a module from require.
  writeFileSync(
    file,
    [
      "'use strict';",
      'const p = require("node:path");',
      'function add(a, b) { return a + b; }',
      'exports.sum = [1, 2, 3, 4].reduce(add, 0);',
      'exports.base = p.basename(__filename);',
      'exports.greeting = `${greet} from ${__dirname === p.dirname(__filename) ? "here" : "elsewhere"}`;',
    ].join('\n'),
  );
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const options = (over: Partial<CachedScriptOptions> = {}): CachedScriptOptions => ({
  file,
  hash: 'aaaa',
  kind: 'console',
  cacheDir: path.join(dir, 'cache'),
  globals: { greet: 'hello' },
  ...over,
});
const cacheFiles = (cacheDir = path.join(dir, 'cache')) => readdirSync(cacheDir).filter((name) => name.endsWith('.v8'));

function expectRan(exports: Record<string, unknown>) {
  expect(exports).toEqual({ sum: 10, base: 'core.cjs', greeting: 'hello from here' });
}

describe('a script run with a code cache', () => {
  it('runs with no cache directory yet, makes it on save, and compiles from the cache the next time', () => {
    const first = runCachedScript(options(), require);
    expectRan(first.exports);
    expect(first.fromCache).toBe(false);
    expect(first.saveCache()).toBe(true);
    expect(cacheFiles()).toHaveLength(1);
    const second = runCachedScript(options(), require);
    expectRan(second.exports);
    expect(second.fromCache).toBe(true);
    // A cache that was used is not written again.
    expect(second.saveCache()).toBe(false);
  });

  it('runs without any cache when there is no place for one', () => {
    const run = runCachedScript(options({ cacheDir: null }), require);
    expectRan(run.exports);
    expect(run.saveCache()).toBe(false);
  });

  it('ignores a damaged cache (a changed byte, a cut-off file, another format) and replaces it', () => {
    runCachedScript(options(), require).saveCache();
    const [name] = cacheFiles();
    const cacheFile = path.join(dir, 'cache', name!);
    const intact = readFileSync(cacheFile);
    const damaged = [Buffer.from(intact), intact.subarray(0, intact.length - 100), Buffer.from('not a cache at all')];
    damaged[0]![intact.length - 50] ^= 0xff;
    for (const bytes of damaged) {
      writeFileSync(cacheFile, bytes);
      const run = runCachedScript(options(), require);
      expectRan(run.exports);
      expect(run.fromCache).toBe(false);
      expect(run.saveCache()).toBe(true);
      expect(runCachedScript(options(), require).fromCache).toBe(true);
    }
  });

  it("never uses another build's cache, and drops it when storing its own", () => {
    runCachedScript(options({ hash: 'old1' }), require).saveCache();
    runCachedScript(options({ hash: 'old1', kind: 'cli' }), require).saveCache();
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nexports.sum = 11;`);
    const run = runCachedScript(options({ hash: 'new2' }), require);
    expect(run.fromCache).toBe(false);
    expect(run.exports.sum).toBe(11);
    run.saveCache();
    // The old build's console cache is gone; the other kind's is left to its own next save.
    expect(cacheFiles().map((n) => n.replace(/-v\d.*$/, ''))).toEqual(['core-new2-console', 'core-old1-cli'].sort());
  });

  it('runs when the cache cannot be written or read (a file where the directory should be, no permission)', () => {
    const notADir = path.join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const run = runCachedScript(options({ cacheDir: notADir }), require);
    expectRan(run.exports);
    expect(run.saveCache()).toBe(false);
    const locked = path.join(dir, 'locked');
    runCachedScript(options({ cacheDir: locked }), require).saveCache();
    chmodSync(locked, 0o000);
    try {
      const again = runCachedScript(options({ cacheDir: locked, hash: 'other' }), require);
      expectRan(again.exports);
      again.saveCache(); // refused unless run as root; must not throw either way
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('keeps its caches under IMOS_CACHE_DIR, else the XDG cache directory, else ~/.cache', () => {
    expect(codeCacheDir({ IMOS_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/imos');
    expect(codeCacheDir({})).toMatch(/[\\/]\.cache[\\/]imos$/);
  });

  it("never uses a cache another user wrote (where it may: root changes the file's owner)", (ctx) => {
    runCachedScript(options(), require).saveCache();
    const cacheFile = path.join(dir, 'cache', cacheFiles()[0]!);
    try {
      chownSync(cacheFile, 4242, 4242);
    } catch {
      ctx.skip();
    }
    const run = runCachedScript(options(), require);
    expectRan(run.exports);
    expect(run.fromCache).toBe(false);
  });
});
