import { createRequire } from 'node:module';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheDir, MAX_CACHES, runCachedScript, type CachedScriptOptions } from './code-cache.js';

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
    expect(cacheFiles().map((n) => n.replace(/-[0-9a-f]{12}-v\d.*$/, ''))).toEqual(['core-new2-console', 'core-old1-cli'].sort());
  });

  it("keeps another checkout's caches: two checkouts used in turn each compile from their own cache", () => {
    // Two checkouts' builds: each folder holds its own core file, named by its build.
    const checkouts = ['one', 'two'].map((name, i) => {
      mkdirSync(path.join(dir, name));
      const core = path.join(dir, name, `core-${i}.cjs`);
      writeFileSync(core, readFileSync(file, 'utf8'));
      return { file: core, hash: `build${i}` };
    });
    for (const checkout of checkouts) expect(runCachedScript(options(checkout), require).saveCache()).toBe(true);
    for (let turn = 0; turn < 2; turn++) {
      for (const checkout of checkouts) {
        const run = runCachedScript(options(checkout), require);
        expectRan({ ...run.exports, base: 'core.cjs' });
        expect(run.fromCache).toBe(true);
      }
    }
    expect(cacheFiles()).toHaveLength(2);
    // A new build of the first checkout drops that checkout's older cache only.
    const rebuilt = path.join(dir, 'one', 'core-9.cjs');
    writeFileSync(rebuilt, readFileSync(file, 'utf8'));
    expect(runCachedScript(options({ file: rebuilt, hash: 'build9' }), require).saveCache()).toBe(true);
    expect(cacheFiles().map((n) => n.split('-')[1]).sort()).toEqual(['build1', 'build9']);
    expect(runCachedScript(options(checkouts[1]), require).fromCache).toBe(true);
  });

  it(`keeps at most ${MAX_CACHES} caches in the folder, dropping the oldest (checkouts since deleted never tidy their own)`, () => {
    const cacheDir = path.join(dir, 'cache');
    const stamped = new Set<string>();
    for (let i = 0; i < MAX_CACHES + 3; i++) {
      const core = path.join(dir, `checkout${i}`, 'core.cjs');
      mkdirSync(path.dirname(core));
      writeFileSync(core, readFileSync(file, 'utf8'));
      expect(runCachedScript(options({ file: core }), require).saveCache()).toBe(true);
      // The order they were stored in, whatever the file system's time resolution.
      const [name] = cacheFiles().filter((n) => !stamped.has(n));
      stamped.add(name!);
      utimesSync(path.join(cacheDir, name!), 1_000_000 + i, 1_000_000 + i);
    }
    expect(cacheFiles()).toHaveLength(MAX_CACHES);
    // The newest stayed: the last checkout's cache is there, the first three are not.
    const checkoutOf = (i: number) => runCachedScript(options({ file: path.join(dir, `checkout${i}`, 'core.cjs') }), require).fromCache;
    expect([0, 1, 2].map(checkoutOf)).toEqual([false, false, false]);
    expect([3, MAX_CACHES + 2].map(checkoutOf)).toEqual([true, true]);
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
