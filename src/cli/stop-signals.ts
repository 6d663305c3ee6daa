// The signals that stop a long-running command (`imos daemon`, `imos serve`), and a stop that is
// started once. The handlers stay for the rest of the process (process.on, never once): the store's
// lock library releases its locks from a signal handler of its own and then re-raises the signal,
// killing the process, whenever no other handler is there. A handler removed after the first
// signal would let a second one kill the process in the middle of its stop, before the lease is
// handed back; and which of the two handlers ran first would decide whether even the first did.
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Resolves with the first stop signal received. A later one starts nothing: `again` is told of it
 * (to say the command is stopping already).
 */
export function firstStopSignal(again: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: NodeJS.Signals | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      if (first) return again(signal);
      first = signal;
      resolve(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
