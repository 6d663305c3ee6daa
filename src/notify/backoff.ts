// When to try a failed notification again: exponential backoff, never sooner than a peer's
// Retry-After, and a limit after which the row is marked failed (visible, not dropped).

export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  baseMs: number;
  factor: number;
  maxDelayMs: number;
  /** Attempts (including the first) before the row is marked failed. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 30_000,
  factor: 2,
  maxDelayMs: 30 * 60_000,
  maxAttempts: 8,
};

/**
 * The delay before the next attempt after `attempts` failed attempts, or null when the row
 * should be given up (limit reached, or the failure is not transient).
 */
export function retryDelay(
  attempts: number,
  policy: RetryPolicy,
  failure: { transient: boolean; retryAfterMs?: number },
): number | null {
  if (!failure.transient || attempts >= policy.maxAttempts) return null;
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * policy.factor ** Math.max(0, attempts - 1));
  const retryAfter = failure.retryAfterMs !== undefined && failure.retryAfterMs > 0 ? failure.retryAfterMs : 0;
  return Math.max(exponential, retryAfter);
}
