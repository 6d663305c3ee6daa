// The processes that run for days (the daemon, the console, `imos serve`) hold little live data
// (about 30 MB at 2,000 checks and 10,000 open alerts) and allocate steadily while the store changes
// under them. V8 lets the old generation grow to as much as four times what survived its last full
// collection before it collects again (its growing factor when the heap may reach 2 GB or more), so
// these processes sat at 200–300 MB resident, most of it garbage. With a factor of 1.5 they stay
// near their live data; the price is more frequent full collections, which V8 does mostly on its
// own threads (README, Performance: "Memory", measured with the console and engine benchmarks).
import v8 from 'node:v8';

/** Old generation allowed after a full collection: live data × (1 + this / 100). */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Emitted on `process` just before the flag changes: V8 refuses a code cache made under other flags
 * than a new process starts with, so the built CLI stores the start's compiled code then
 * (src/cli/entry.ts); for the console that is right after its first full frame.
 */
export const STARTED_EVENT = 'imos:started';

/** For a long-running process: collect when the heap has grown by half, not fourfold. */
export function keepHeapNearLiveData(): void {
  (process as NodeJS.EventEmitter).emit(STARTED_EVENT);
  // Read by V8 each time it sets the next limit, so it takes effect from the next full collection.
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
