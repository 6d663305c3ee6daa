// The inter-process lock around every read-modify-write: proper-lockfile's mkdir lock beside the
// file, with fast retries of our own up to a deadline (its default backoff waits about a second).
import nodeFs from 'node:fs';
import fs from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { StoreError } from './types.js';

export interface LockOptions {
  /** A lock whose holder stopped refreshing it for this long is taken over (holder died). */
  staleMs: number;
  /** Give up (StoreError) after waiting this long for the lock. */
  timeoutMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { staleMs: 3000, timeoutMs: 15_000 };

/**
 * Checked right before the commit point (the rename). Another process takes our lock over once its
 * modification time is `staleMs` old, so a holder that could not renew it (a process stopped with
 * Ctrl-Z, an event loop blocked, a machine swapping) abandons its write rather than commit over
 * someone else's. A holder that keeps renewing may hold it as long as its work takes.
 */
export interface LockGuard {
  assertStillHeld(): void;
}

/** How often a holder renews its lock (proper-lockfile's `update`; it allows 1 s at the least). */
const renewEveryMs = (staleMs: number) => Math.max(1000, staleMs / 4);
/**
 * Time kept below the stale time for the commit itself: nothing is committed once the lock was
 * last renewed more than `staleMs - margin` ago (so never by a holder that stopped renewing).
 */
const commitMarginMs = (staleMs: number) => Math.max(250, staleMs / 4);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Which lock directory this process made at each lock path (inode and birth time). */
const madeHere = new Map<string, { ino: number; birthtimeMs: number }>();
const sameDir = (a: nodeFs.Stats, b: { ino: number; birthtimeMs: number }) => a.ino === b.ino && a.birthtimeMs === b.birthtimeMs;

/**
 * The file system proper-lockfile works through, except that it only ever removes a lock
 * directory this process made. A holder stopped past the stale time (Ctrl-Z) whose lock was taken
 * over must not remove the new holder's lock when it resumes and releases (or exits): a third
 * writer would then go in beside the new holder.
 */
const lockFs = {
  ...nodeFs,
  mkdir(dir: string, callback: (error: NodeJS.ErrnoException | null) => void) {
    nodeFs.mkdir(dir, (error) => {
      if (error) return callback(error);
      nodeFs.stat(dir, (statError, stat) => {
        if (!statError) madeHere.set(dir, { ino: stat.ino, birthtimeMs: stat.birthtimeMs });
        callback(null);
      });
    });
  },
  rmdir(dir: string, callback: (error: NodeJS.ErrnoException | null) => void) {
    const mine = madeHere.get(dir);
    madeHere.delete(dir);
    nodeFs.stat(dir, (error, stat) => {
      if (error) return callback(error);
      if (mine && !sameDir(stat, mine)) return callback(null); // someone else's now: leave it
      nodeFs.rmdir(dir, callback);
    });
  },
  rmdirSync(dir: string) {
    const mine = madeHere.get(dir);
    madeHere.delete(dir);
    if (mine && !sameDir(nodeFs.statSync(dir), mine)) return;
    nodeFs.rmdirSync(dir);
  },
};

/** proper-lockfile is told a lock is stale only after this long, i.e. never: we take over ourselves. */
const NEVER_STALE_MS = 2 ** 31;

/**
 * Removes `lockDir` if its holder stopped refreshing it for `staleMs`. proper-lockfile's own
 * takeover (stat, then rmdir by name) lets two waiters that saw the same dead lock both remove
 * it: the second removed the fresh lock the first had just made (its mtime probe then failed
 * with ENOENT, or both went on holding the lock at once). Here the check and the removal happen
 * under a second mkdir lock, so a lock is only ever removed while it is still the stale one.
 */
async function removeStaleLock(lockDir: string, staleMs: number): Promise<void> {
  const isStale = async (dir: string) => {
    try {
      return (await fs.stat(dir)).mtimeMs < Date.now() - staleMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  };
  if (!(await isStale(lockDir))) return;
  const takeover = `${lockDir}.takeover`;
  try {
    await fs.mkdir(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another waiter is taking over right now (a few ms); one killed in that moment left this.
    if (await isStale(takeover)) await fs.rmdir(takeover).catch(() => {});
    return;
  }
  try {
    if (await isStale(lockDir)) {
      await fs.rmdir(lockDir).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  } finally {
    await fs.rmdir(takeover).catch(() => {});
  }
}

/** Runs `fn` while holding the lock on `file` (the file itself need not exist). */
export async function withFileLock<R>(
  file: string,
  options: LockOptions,
  fn: (guard: LockGuard) => Promise<R>,
): Promise<R> {
  let compromised = false;
  let acquiredAt = 0;
  const lockDir = `${file}.lock`;
  const staleMs = Math.max(options.staleMs, 2000); // proper-lockfile's least stale time
  const maxAgeMs = staleMs - commitMarginMs(staleMs);
  const guard: LockGuard = {
    assertStillHeld() {
      const held = Math.round(performance.now() - acquiredAt);
      const gaveUp = (why: string) => new StoreError(`gave up writing ${file}: the lock was held for ${held} ms ${why}; nothing was written`, file);
      const mine = madeHere.get(lockDir);
      let stat: nodeFs.Stats | undefined;
      try {
        stat = nodeFs.statSync(lockDir);
      } catch {
        // Gone: removed as stale by another process.
      }
      if (compromised || !stat || !mine || !sameDir(stat, mine)) {
        throw gaveUp(`and another process took it over (${lockDir} was replaced)`);
      }
      // What other processes judge staleness by: the age of the lock's modification time.
      const age = Date.now() - stat.mtimeMs;
      if (age > maxAgeMs) {
        throw gaveUp(`(limit ${maxAgeMs} ms without renewal; last renewed ${Math.round(age)} ms ago), so another process may have taken it`);
      }
    },
  };
  const deadline = Date.now() + options.timeoutMs;
  let release: (() => Promise<void>) | undefined;
  let wait = 1;
  for (let attempt = 0; ; attempt++) {
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        fs: lockFs,
        stale: NEVER_STALE_MS,
        update: renewEveryMs(staleMs),
        retries: 0,
        // The lock was taken from us (we stalled longer than the stale time): never throw from a
        // timer; the guard makes the pending write abort before its rename.
        onCompromised: () => {
          compromised = true;
        },
      });
      acquiredAt = performance.now();
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        throw new StoreError(`cannot lock ${file}: ${(error as Error).message}`, file);
      }
      try {
        await removeStaleLock(lockDir, staleMs);
      } catch (stale) {
        throw new StoreError(`cannot lock ${file}: ${(stale as Error).message}`, file);
      }
      if (Date.now() >= deadline || attempt > 100_000) {
        throw new StoreError(
          `${file} stayed locked by another process for ${options.timeoutMs} ms (lock: ${file}.lock)`,
          file,
        );
      }
      // Randomised, growing to 20 ms: waiters spread out instead of retrying in step.
      await sleep(Math.random() * wait + 1);
      wait = Math.min(20, wait * 2);
    }
  }
  try {
    return await fn(guard);
  } finally {
    await release().catch(() => {
      // Already released because it was compromised: nothing left to undo.
    });
  }
}
