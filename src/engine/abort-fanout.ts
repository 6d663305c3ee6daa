// Many waiters on one long-lived AbortSignal (the engine's shutdown) through one listener: Node
// warns past 10 listeners on one EventTarget (MaxListenersExceededWarning), and a daemon runs
// hundreds of checks at once, each of which must stop on shutdown. The listener goes with the
// last waiter, so nothing stays behind on the signal between runs.
interface Waiters {
  fns: Set<() => void>;
  listener: () => void;
}

const bySignal = new WeakMap<AbortSignal, Waiters>();

/**
 * Call `fn` once when `signal` aborts (at once when it already has). Returns the unsubscribe,
 * which the caller calls when it no longer cares (its run ended).
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => {};
  }
  let waiters = bySignal.get(signal);
  if (!waiters) {
    const fns = new Set<() => void>();
    const listener = () => {
      bySignal.delete(signal);
      for (const waiter of [...fns]) waiter();
    };
    waiters = { fns, listener };
    bySignal.set(signal, waiters);
    signal.addEventListener('abort', listener, { once: true });
  }
  const own = waiters;
  own.fns.add(fn);
  return () => {
    if (!own.fns.delete(fn) || own.fns.size > 0 || bySignal.get(signal) !== own) return;
    bySignal.delete(signal);
    signal.removeEventListener('abort', own.listener);
  };
}
