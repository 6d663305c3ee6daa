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

/** Proof that the lock is still ours; checked right before the commit point (the rename). */
export interface LockGuard {
  readonly compromised: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` while holding the lock on `file` (the file itself need not exist). */
export async function withFileLock<R>(
  file: string,
  options: LockOptions,
  fn: (guard: LockGuard) => Promise<R>,
): Promise<R> {
  const guard = { compromised: false };
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
          guard.compromised = true;
        },
      });
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
