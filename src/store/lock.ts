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
 * Checked right before the commit point (the rename). Another process may treat our lock as
 * stale once we have held it for `staleMs` without refreshing it (a process stopped with Ctrl-Z,
 * a machine swapping), so a write that has held the lock for nearly that long is abandoned rather
 * than committed over someone else's.
 */
export interface LockGuard {
  assertStillHeld(): void;
}

/** Margin kept below the stale time: past `staleMs - margin` of holding, nothing is committed. */
const HOLD_MARGIN_MS = 1000;

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
  const maxHoldMs = Math.max(500, Math.max(options.staleMs, 2000) - HOLD_MARGIN_MS);
  const guard: LockGuard = {
    assertStillHeld() {
      const held = performance.now() - acquiredAt;
      if (compromised || held > maxHoldMs) {
        throw new StoreError(
          `gave up writing ${file}: the lock was held for ${Math.round(held)} ms (limit ${maxHoldMs} ms), ` +
            'so another process may have taken it; nothing was written',
          file,
        );
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
        update: options.staleMs / 2,
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
        await removeStaleLock(`${file}.lock`, options.staleMs);
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
