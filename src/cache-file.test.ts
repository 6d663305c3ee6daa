import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepNewestCaches, readCacheFile, writeCacheFile } from './cache-file.js';

const MAGIC = Buffer.from('imos-test-cache/1\n');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imos-cache-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cache files', () => {
  it('read back what was written, given whole or in parts', () => {
    const file = path.join(dir, 'cache', 'x.v8');
    expect(writeCacheFile(file, MAGIC, [Buffer.from('one '), Buffer.from('two')])).toBe(true);
    expect(readCacheFile(file, MAGIC)?.toString()).toBe('one two');
    expect(readCacheFile(file, Buffer.from('imos-other/1\n'))).toBeUndefined();
  });

  it('never block on a pipe put where a cache should be, and never use one', () => {
    const file = path.join(dir, 'x.v8');
    execFileSync('mkfifo', [file]);
    expect(readCacheFile(file, MAGIC)).toBeUndefined();
  });

  it('never write through a file or link someone else put at the temporary name', () => {
    const file = path.join(dir, 'x.v8');
    const victim = path.join(dir, 'victim');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    expect(writeCacheFile(file, MAGIC, Buffer.from('data'))).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(existsSync(file)).toBe(false);
  });

  it('keep the newest of their kind, and drop temporary files an hour old (a writer that died)', () => {
    mkdirSync(path.join(dir, 'c'));
    const at = (name: string, ageMs: number) => {
      const file = path.join(dir, 'c', name);
      writeFileSync(file, '');
      const when = new Date(Date.now() - ageMs);
      utimesSync(file, when, when);
      return file;
    };
    const old = at('kind-a.v8', 3000);
    const newer = at('kind-b.v8', 2000);
    const newest = at('kind-c.v8', 1000);
    const other = at('other-a.v8', 5000);
    const stale = at('kind-d.v8.1234.tmp', 2 * 60 * 60 * 1000);
    const writing = at('kind-e.v8.1234.tmp', 1000);
    keepNewestCaches(path.join(dir, 'c'), (name) => name.startsWith('kind-') && name.endsWith('.v8'), 2);
    expect([old, newer, newest, other, stale, writing].map(existsSync)).toEqual([false, true, true, true, false, true]);
  });
});
