// Wall-clock limits in tests only catch hangs. The machines running the suite are shared and may
// be slow, so a limit sits far above what the behaviour needs and far below what a hang (a timeout
// not honoured, a process never killed) would take; each test makes the hang it guards against
// longer than this. How fast things are is measured by `npm run bench`, against floors measured in
// the same run.
export const HANG_MS = 15_000;

/**
 * Poll `probe` every `everyMs` until it gives a truthy value, and return that; throws after
 * `timeoutMs`. For "wait until X": a test waits for the condition it needs, however loaded the
 * machine, instead of sleeping a while and hoping X has happened by then.
 */
export async function waitUntil<T>(what: string, probe: () => T | Promise<T>, timeoutMs = HANG_MS, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= until) break;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * The bound of a test that is pure CPU work for seconds (a property test of a thousand runs, every
 * character of a range): on a loaded machine (a load of 20 on two cores) it takes ten times as long
 * as on an idle one, which the suite's default test timeout does not allow for.
 */
export const CPU_BOUND_MS = 180_000;

/**
 * The bound of one run of a whole imos process that should end by itself (a CLI command): half a
 * second on an idle machine, tens of seconds on a loaded one (a load of 20 on two cores), where
 * starting node and loading the bundle is most of it.
 */
export const CLI_HANG_MS = 4 * HANG_MS;
