// A long-running process keeps its heap near its live data: with keepHeapNearLiveData() V8
// collects before the old generation has grown by much more than a third of what survived, where it
// would otherwise let it grow to four or five times that, and the young generation keeps its first
// size. Run in child processes of their own (the settings are per process), with this module
// bundled as imos bundles it; `imos` applies it to the commands that run for hours.
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

// Batches that live through a few young collections and then become garbage: V8 grows the young
// generation for them (to two semi-spaces of 16 MB), unless told to keep it.
const YOUNG_WORKLOAD = `
import v8 from 'node:v8';
if (process.argv[2] === 'keep') (await import('./heap.mjs')).keepHeapNearLiveData();
let recent = [];
let largest = 0;
for (let round = 0; round < 3000; round++) {
  recent.push(Array.from({ length: 500 }, (_, j) => ({ j, s: 'y' + j })));
  if (recent.length > 40) recent = recent.slice(20);
  if (round % 50 === 0) largest = Math.max(largest, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
}
globalThis.recent = recent;
console.log(JSON.stringify({ largest }));
`;

const bundled = () => build({ entryPoints: [join(process.cwd(), 'src/heap.ts')], outfile: join(dir, 'heap.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });

describe('keepHeapNearLiveData', () => {
  it('keeps the young generation at its first size (two semi-spaces of 1 MB) where V8 would grow it to 32 MB', async () => {
    await bundled();
    writeFileSync(join(dir, 'young.mjs'), YOUNG_WORKLOAD);
    const largest = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, [join(dir, 'young.mjs'), ...args], { timeout: 60_000 });
      return (JSON.parse(stdout) as { largest: number }).largest / 2 ** 20;
    };
    // The same workload without the setting: the young generation grows (so the workload shows it).
    expect(await largest()).toBeGreaterThanOrEqual(8);
    expect(await largest('keep')).toBeLessThanOrEqual(2);
  });

  it('keeps the heap of a process that churns long-lived garbage within about three times its live data', async () => {
    await bundled();
    writeFileSync(join(dir, 'workload.mjs'), WORKLOAD);
    const { stdout } = await run(process.execPath, ['--expose-gc', join(dir, 'workload.mjs')], { timeout: 60_000 });
    const { live, peak } = JSON.parse(stdout) as { live: number; peak: number };
    // Without the setting this workload peaks at about 5 × its live data on a 64-bit machine with
    // a few GB of memory; with it, at under 3 × (the window of recent batches is live too).
    expect(live).toBeGreaterThan(40 * 2 ** 20);
    expect(peak / live).toBeLessThan(3.8);
  });
});
