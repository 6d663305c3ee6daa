// The inter-process lock around every read-modify-write: proper-lockfile's mkdir lock beside the
// file, with fast retries of our own up to a deadline (its default backoff waits about a second).
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
        stale: options.staleMs,
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
