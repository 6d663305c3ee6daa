// Start-up: a one-shot command and the console's first frames, against a bare `node -e 0`.
// Targets: `imos --version` and the skeleton within 2.5 × a bare node start; the first full frame
// with figures (the matrix's completion as a percentage, read from the store, down to the footer)
// within 3 ×. That frame is drawn before Ink loads (src/console/first-frame.ts), by the core of the
// build run from V8's code cache (scripts/core-build.mjs): measured with the cache a first start
// stored, and without one.
// Also the CPU time the console used up to that frame (Linux), which a loaded machine distorts less.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { figure, figures, measure, report, verdict } from './measure.js';

const root = process.cwd();
const bin = path.join(root, 'bin/imos.js');
const example = path.join(root, 'data/example/imos.yaml');
const runs = 15;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-'));
const env: NodeJS.ProcessEnv = { ...process.env, IMOS_CACHE_DIR: path.join(dir, 'code-cache') };
delete env.CI;

/** Wall time of a program run to its end. */
const timed = (args: string[]): number => {
  const started = performance.now();
  spawnSync(process.execPath, args);
  return performance.now() - started;
};
// The floor and `imos --version` in turn, so that a machine whose speed drifts during the run
// weighs on both alike (the console's starts below take their own floor the same way).
const bareSamples: number[] = [];
const versionSamples: number[] = [];
for (let i = 0; i < runs; i++) {
  bareSamples.push(timed(['-e', '0']));
  versionSamples.push(timed([bin, '--version']));
}
const bare = figures(bareSamples);
report('node -e 0 (floor)', bare);
const version = figures(versionSamples);
report('imos --version', version, bare);

// Reference: the smallest Ink program, bundled the way imos is, started the same way.
// Beside this bench's own bundle (the run's folder, npm run bench): runs at once do not share it.
const inkHello = path.join(import.meta.dirname, 'ink-hello.mjs');
await build({
  entryPoints: [path.join(root, 'scripts/bench/fixtures/ink-hello.tsx')],
  outfile: inkHello,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  alias: { 'react-devtools-core': path.join(root, 'scripts/empty-module.mjs') },
  banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
});
const ink = await measure(runs, () => spawnSync(process.execPath, [inkHello], { env: { ...env, TERM: 'xterm-256color' } }));
report('reference: the smallest Ink program', ink, bare);

// The console's first frame: start `imos` on a pseudo-terminal (script(1)) and wait for the
// header to appear on its output.
// The built CLI runs its core from V8's code cache (src/cli/code-cache.ts), stored by the first
// start after a build: measured with it (every start after the first), and without (a file where
// the cache directory would be: the first start after a build or an upgrade).
const cacheDir = path.join(dir, 'code-cache');
const noCacheDir = path.join(dir, 'no-cache');
fs.writeFileSync(noCacheDir, '');
const FULL_FRAME = /Integration completion\s+\d+%[^]*q quit/;
// The console's own CPU time (user + system, ms) so far: script(1)'s child is the console.
const cpuOfChild = (scriptPid: number): number | null => {
  try {
    const child = fs.readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(' ')[0];
    const fields = fs.readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
};
/** The CPU time the console logged at its first full frame (src/console/run.ts), if it did. */
const cpuLogged = (log: string): number | null => {
  try {
    const m = /first frame drawn \d+ ms after start, CPU (\d+) ms/.exec(fs.readFileSync(log, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
};
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
const hasScript = spawnSync('script', ['--version']).status === 0;

interface ConsoleStarts {
  firstFrames: number[];
  fullFrames: number[];
  fullFrameCpu: number[];
  /** `node -e 0`, run just before each start: the floor of these starts. */
  floors: number[];
}

/** `count` starts of the console with IMOS_CACHE_DIR=`codeCache`, each until its first full frame. */
async function consoleStarts(count: number, codeCache: string): Promise<ConsoleStarts> {
  const out: ConsoleStarts = { firstFrames: [], fullFrames: [], fullFrameCpu: [], floors: [] };
  for (let i = 0; i < count; i++) {
    out.floors.push(timed(['-e', '0']));
    const started = performance.now();
    const cmd = `${process.execPath} ${bin} --config ${example} --store ${dir}/imos.json --readonly`;
    // The console logs its own CPU time when its first full frame is out (read below).
    const log = path.join(dir, `console-${path.basename(codeCache)}-${i}.log`);
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      env: { ...env, COLUMNS: '120', LINES: '40', TERM: 'xterm-256color', IMOS_CONSOLE_LOG: log, IMOS_CACHE_DIR: codeCache },
    });
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise<void>((resolve) => {
      let seen = '';
      const timer = setTimeout(() => resolve(), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        // The first frame names the project; the full console shows the overview's figures.
        if (out.firstFrames.length === i && seen.includes('Hotel integration')) out.firstFrames.push(performance.now() - started);
        // The full frame: a whole screen with the figures (not the skeleton's header, not
        // placeholders): the completion figure, and after it the footer's key hints, the last row.
        if (out.fullFrames.length === i && FULL_FRAME.test(stripAnsi(seen))) {
          out.fullFrames.push(performance.now() - started);
          // Its own figure, taken as the frame was written; else /proc now (a little later).
          const cpu = cpuLogged(log) ?? (child.pid ? cpuOfChild(child.pid) : null);
          if (cpu !== null) out.fullFrameCpu.push(cpu);
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // The cache is stored right after the first frame: let the first start finish storing it.
    if (i === 0) await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

let withCache: ConsoleStarts = { firstFrames: [], fullFrames: [], fullFrameCpu: [], floors: [] };
let withoutCache: ConsoleStarts = { firstFrames: [], fullFrames: [], fullFrameCpu: [], floors: [] };
if (hasScript) {
  // One start to store the cache, not counted.
  await consoleStarts(1, cacheDir);
  if (!fs.existsSync(cacheDir) || fs.readdirSync(cacheDir).length === 0) console.log('console: the first start stored no code cache');
  withCache = await consoleStarts(runs, cacheDir);
  withoutCache = await consoleStarts(runs, noCacheDir);
}
const { firstFrames, fullFrames, fullFrameCpu } = withCache;
fs.rmSync(dir, { recursive: true, force: true });
let ok = verdict('imos --version vs node -e 0', version.p50 / bare.p50, 2.5);
if (firstFrames.length > 0) {
  // The console's starts against the `node -e 0` runs between them.
  const startsFloor = figures(withCache.floors);
  report('node -e 0 (floor, between the console starts)', startsFloor);
  const first = figures(firstFrames);
  report('console: first frame (pty)', first, startsFloor);
  ok = verdict('console skeleton frame vs node -e 0', first.p50 / startsFloor.p50, 2.5) && ok;
  if (fullFrames.length > 0) {
    const full = figures(fullFrames);
    report('console: first full frame, with figures (pty)', full, startsFloor);
    if (withoutCache.fullFrames.length > 0) {
      report('console: first full frame, no code cache (pty)', figures(withoutCache.fullFrames), figures(withoutCache.floors));
    }
    if (fullFrameCpu.length > 0) {
      // The floor: a bare node's CPU time by the end of its start.
      const bareCpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const out = spawnSync(process.execPath, ['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))'], { encoding: 'utf8' }).stdout;
        bareCpu.push(Number(out));
      }
      const floorCpu = figures(bareCpu).p50;
      const cpu = figures(fullFrameCpu).p50;
      figure({
        name: 'console: CPU time to the full frame',
        unit: 'ms',
        value: cpu,
        n: fullFrameCpu.length,
        floor: { name: 'node -e 0 CPU time', value: floorCpu },
        ratio: cpu / floorCpu,
        note: '(user + system, as the console logged it at the frame)',
      });
      if (withoutCache.fullFrameCpu.length > 0) {
        const cold = figures(withoutCache.fullFrameCpu).p50;
        figure({
          name: 'console: CPU time to the full frame, no code cache',
          unit: 'ms',
          value: cold,
          n: withoutCache.fullFrameCpu.length,
          floor: { name: 'node -e 0 CPU time', value: floorCpu },
          ratio: cold / floorCpu,
          note: '(the first start after a build or an upgrade)',
        });
      }
    }
    verdict(
      'console first full frame vs node -e 0',
      full.p50 / startsFloor.p50,
      3,
      '×',
      `${(full.p50 / startsFloor.p50).toFixed(2)}× a bare node start; the frame is drawn without Ink (the smallest Ink program alone takes ${(ink.p50 / bare.p50).toFixed(2)}×), ` +
        'and its code is one file compiled from V8\'s code cache; what remains is mostly zod building its schemas and validating, garbage collection, the time zone\'s data and Node\'s own start (README: "Performance"). ' +
        'On a loaded machine the wall-time ratio moves with the load: compare the CPU time to the frame.',
    );
  } else {
    ok = verdict('console first full frame vs node -e 0', Number.NaN, 3, '×', 'no frame with figures was seen within 10 s') && ok;
  }
} else {
  console.log('console first frame: skipped (no script(1) or no frame seen)');
}
process.exitCode = ok ? 0 : 1;
