// The file lock when a holder died and left its lock behind: several waiters see it stale at once.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './lock.js';
import { HANG_MS, waitUntil } from '../../test/helpers/bounds.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-lock-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withFileLock and a stale lock left by a killed holder', () => {
  it('waiters that find it stale together take it over one at a time: none fails, none overlaps', async () => {
    const file = path.join(dir, 'imos.json');
    const counter = path.join(dir, 'counter');
    let inside = 0;
    let maxInside = 0;
    for (let round = 0; round < 15; round++) {
      await fs.writeFile(counter, '0');
      // The lock of a holder killed with SIGKILL: its mtime stopped being refreshed 10 s ago.
      await fs.mkdir(`${file}.lock`);
      const old = new Date(Date.now() - 10_000);
      await fs.utimes(`${file}.lock`, old, old);
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          withFileLock(file, { staleMs: 2000, timeoutMs: 10_000 }, async (guard) => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            const value = Number(await fs.readFile(counter, 'utf8'));
            await sleep(2);
            guard.assertStillHeld();
            await fs.writeFile(counter, String(value + 1));
            inside--;
          }),
        ),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failures).toEqual([]);
      expect(maxInside).toBe(1);
      expect(await fs.readFile(counter, 'utf8')).toBe('6');
      expect((await fs.readdir(dir)).filter((n) => n.includes('.lock'))).toEqual([]);
    }
  }, 60_000);

  it('a holder that stalled past the stale time and was taken over does not remove the new holder\'s lock', async () => {
    const file = path.join(dir, 'imos.json');
    const lockDir = `${file}.lock`;
    const attempt = withFileLock(file, { staleMs: 2000, timeoutMs: 5000 }, async (guard) => {
      await sleep(1100);
      // Meanwhile (this holder stopped, its lock stale) another process took the lock over.
      await fs.rm(lockDir, { recursive: true });
      await fs.mkdir(lockDir);
      guard.assertStillHeld();
    });
    await expect(attempt).rejects.toThrow(/gave up writing .*the lock was held for \d+ ms/);
    // The other process's lock is still there: nobody else can go in beside it.
    expect((await fs.stat(lockDir)).isDirectory()).toBe(true);
    await expect(withFileLock(file, { staleMs: 2000, timeoutMs: 300 }, async () => 'in')).rejects.toThrow(/stayed locked by another process/);
    await fs.rmdir(lockDir);
    await expect(withFileLock(file, { staleMs: 2000, timeoutMs: 300 }, async () => 'in')).resolves.toBe('in');
    expect((await fs.readdir(dir)).filter((n) => n.includes('.lock'))).toEqual([]);
  });
});

describe('withFileLock and a long hold', () => {
  it('a live holder keeps renewing its lock: nobody takes it over past the stale time, and its write goes in', async () => {
    const file = path.join(dir, 'imos.json');
    const lockDir = `${file}.lock`;
    let outcome = '';
    // A stale time of 4 s: renewed every second, the holder may be late by 2 s before it gives up
    // (with 2 s, by half a second, which a loaded machine's stalls exceeded).
    const holder = withFileLock(file, { staleMs: 4000, timeoutMs: 5000 }, async (guard) => {
      // Work that takes well past the stale time, with the event loop free between its steps.
      const started = Date.now();
      const created = (await fs.stat(lockDir)).birthtimeMs;
      for (let i = 0; i < 12; i++) {
        await sleep(600);
        guard.assertStillHeld();
      }
      expect(Date.now() - started).toBeGreaterThan(7000);
      expect((await fs.stat(lockDir)).birthtimeMs).toBe(created);
      await fs.writeFile(path.join(dir, 'written'), 'holder');
      outcome = 'stored';
    });
    // A second writer waits past the stale time and is never let in beside the holder (which is
    // in once its lock directory is there: waited for, a loaded machine may take a while).
    await waitUntil('the holder to take the lock', () => existsSync(lockDir), HANG_MS, 5);
    const waiter = await withFileLock(file, { staleMs: 4000, timeoutMs: 5000 }, async () => 'in').catch((e: unknown) => String(e));
    expect(waiter).toMatch(/stayed locked by another process/);
    await holder;
    expect(outcome).toBe('stored');
    // Once the holder is done, the lock is free at once (well before a stale lock could be taken).
    await expect(withFileLock(file, { staleMs: 4000, timeoutMs: 2000 }, async () => 'in')).resolves.toBe('in');
    expect((await fs.readdir(dir)).filter((n) => n.includes('.lock'))).toEqual([]);
  }, 30_000);

  it('a holder that could not renew (its event loop blocked) gives up before its commit', async () => {
    const file = path.join(dir, 'imos.json');
    const attempt = withFileLock(file, { staleMs: 2000, timeoutMs: 5000 }, async (guard) => {
      const until = Date.now() + 2700; // the lock's first mtime may lie up to 1 s ahead (proper-lockfile's precision probe)
      while (Date.now() < until) {
        // Busy: the renewal timer cannot run.
      }
      guard.assertStillHeld();
      return 'committed';
    });
    await expect(attempt).rejects.toThrow(/gave up writing .*the lock was held for \d+ ms \(limit 1500 ms without renewal; last renewed \d+ ms ago\)/);
    expect((await fs.readdir(dir)).filter((n) => n.includes('.lock'))).toEqual([]);
  });
});
