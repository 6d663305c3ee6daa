// How the `imos` program ends once its command has finished. Left to end on its own, Node waits
// for V8's background work to wind down first — the full garbage collection V8 scheduled while a
// large configuration was read, optimising compilations under way — which a process about to end
// does not need: 20–80 ms of every command on a 10,000-check configuration (README, Performance:
// "Configuration at scale"). `process.exit` skips that wait, and still runs the 'exit' handlers
// (locks released, the code cache saved). What the command wrote is never cut short: where output
// is written asynchronously (a pipe on macOS), the process leaves once it has all gone out; and a
// write that failed (the reader went away: `imos status | head`) is reported first, as it would be.

interface Output {
  readonly writableLength: number;
  /** Set as soon as a write failed; the 'error' event comes a turn of the event loop later. */
  readonly errored?: Error | null;
  once(event: 'drain' | 'close', listener: () => void): unknown;
}

/** End the process with `code` as soon as everything written to `outputs` has been handed over. */
export function leaveWhenWritten(
  code: number,
  outputs: readonly Output[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (c) => process.exit(c),
): void {
  process.exitCode = code;
  let waiting = 0;
  let left = false;
  const leave = () => {
    if (left || waiting > 0) return;
    left = true;
    // A write that failed: its 'error' event is emitted on a later turn of the event loop, and its
    // handler (main.ts: 141 for a reader that left) decides how the process ends. Only then is a
    // turn given: in it, V8 would run the collection it scheduled.
    if (outputs.some((output) => output.errored)) setImmediate(() => exit(code));
    else exit(code);
  };
  for (const output of outputs) {
    if (output.writableLength === 0) continue;
    waiting++;
    let done = false;
    const written = () => {
      if (done) return;
      done = true;
      waiting--;
      leave();
    };
    // A reader that goes away closes the stream instead (the EPIPE handler in main.ts exits 141).
    output.once('drain', written);
    output.once('close', written);
  }
  leave();
}
