// A long-running process keeps its heap near its live data: with keepHeapNearLiveData() V8
// collects before the old generation has grown by much more than half what survived, where it
// would otherwise let it grow to four or five times that. Run in a child process of its own (the
// setting is per process), with this module bundled as imos bundles it.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'imos-heap-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// About 60 MB of live data, then a stream of data that lives a while (a window of recent batches,
// as a console holds the records of the last changes) and then becomes garbage.
const WORKLOAD = `
import { keepHeapNearLiveData } from './heap.mjs';
keepHeapNearLiveData();
globalThis.live = Array.from({ length: 400_000 }, (_, i) => ({ a: i, b: 'x' + i, c: [i, i + 1] }));
globalThis.gc();
const live = process.memoryUsage().heapUsed;
let peak = 0;
let recent = [];
for (let round = 0; round < 6000; round++) {
  recent.push(Array.from({ length: 1000 }, (_, j) => ({ j, s: 'y' + j })));
  if (recent.length > 600) recent = recent.slice(300);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
globalThis.recent = recent;
console.log(JSON.stringify({ live, peak }));
`;

describe('keepHeapNearLiveData', () => {
  it('keeps the heap of a process that churns long-lived garbage within about three times its live data', async () => {
    await build({ entryPoints: [join(process.cwd(), 'src/heap.ts')], outfile: join(dir, 'heap.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
    writeFileSync(join(dir, 'workload.mjs'), WORKLOAD);
    const { stdout } = await run(process.execPath, ['--expose-gc', join(dir, 'workload.mjs')], { timeout: 60_000 });
    const { live, peak } = JSON.parse(stdout) as { live: number; peak: number };
    // Without the setting this workload peaks at about 5 × its live data on a 64-bit machine with
    // a few GB of memory; with it, at under 3 × (the window of recent batches is live too).
    expect(live).toBeGreaterThan(40 * 2 ** 20);
    expect(peak / live).toBeLessThan(3.8);
  });

  it('announces itself before changing the flags, so a code cache made then is one a new process accepts', async () => {
    await build({ entryPoints: [join(process.cwd(), 'src/heap.ts')], outfile: join(dir, 'heap-event.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
    // A script's code cache made on STARTED_EVENT, and one made after the flags changed.
    writeFileSync(
      join(dir, 'make-cache.mjs'),
      `import vm from 'node:vm';
import { writeFileSync } from 'node:fs';
import { keepHeapNearLiveData, STARTED_EVENT } from './heap-event.mjs';
const script = new vm.Script('function f(a) { return a * 2; } f(21);', { filename: 'cached.js' });
script.runInThisContext();
process.once(STARTED_EVENT, () => writeFileSync(process.argv[2], script.createCachedData()));
keepHeapNearLiveData();
writeFileSync(process.argv[3], script.createCachedData());
`,
    );
    writeFileSync(
      join(dir, 'use-cache.mjs'),
      `import vm from 'node:vm';
import { readFileSync } from 'node:fs';
const script = new vm.Script('function f(a) { return a * 2; } f(21);', { filename: 'cached.js', cachedData: readFileSync(process.argv[2]) });
console.log(JSON.stringify({ rejected: script.cachedDataRejected, value: script.runInThisContext() }));
`,
    );
    await run(process.execPath, [join(dir, 'make-cache.mjs'), join(dir, 'at-event.bin'), join(dir, 'after.bin')], { timeout: 60_000 });
    const use = async (file: string) => JSON.parse((await run(process.execPath, [join(dir, 'use-cache.mjs'), join(dir, file)], { timeout: 60_000 })).stdout) as { rejected: boolean; value: number };
    expect(await use('at-event.bin')).toEqual({ rejected: false, value: 42 });
    // What the event is for: V8 refuses a cache made under other flags.
    expect(await use('after.bin')).toEqual({ rejected: true, value: 42 });
  });
});
