// The processes that run for days (the daemon, the console, `imos serve`) hold little live data
// (about 35–50 MB at 2,000 checks, their histories full, and 10,000 open alerts) and allocate
// steadily while the store changes under them. Two of V8's defaults made them sit at 150–250 MB
// resident, most of it garbage or room for it (README, Performance: "Memory", measured with
// `npm run bench -- memory`):
// - the old generation may grow to as much as four times what survived its last full collection
//   before V8 collects again (its growing factor when the heap may reach 2 GB or more); with a
//   factor of 1.3 they stay near their live data, at the price of more frequent full collections,
//   which V8 does mostly on its own threads (1.5 left the console at 145–150 MB once every check's
//   history was full, 1.3 at 139–140; key → frame did not move);
// - the young generation grows to two semi-spaces of 16 MB once objects survive their first
//   collections, and all 32 MB stay resident; kept at its first size (two of 1 MB), short-lived
//   garbage is collected every megabyte instead of every 16.
// Both are V8 flags read while the process runs (the growing factor at every full collection, the
// young generation's growth whenever it would grow), so the process sets them itself, first thing:
// before the configuration and the store are read, which would otherwise grow both.
import v8 from 'node:v8';

/** Old generation allowed after a full collection: live data × (1 + this / 100). */
export const HEAP_GROWING_PERCENT = 30;

/** The commands that run for hours: the console (also `imos` alone), the daemon, `imos serve`. */
export const LONG_RUNNING_COMMANDS: ReadonlySet<string> = new Set(['console', 'daemon', 'serve']);

/** For a long-running process: collect when the heap has grown by 30 %, and keep the young generation small. */
export function keepHeapNearLiveData(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // The young generation grows by this factor when it grows; 1 keeps the size it has (1 MB a
  // semi-space at start). `--max-semi-space-size` would say it directly, but V8 reads that only at start.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
