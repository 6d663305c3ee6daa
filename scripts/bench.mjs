// `npm run bench [-- NAME…] [-- --json[=FILE]]`: build the benchmark entry points with esbuild and
// run them one after another (all of them, or those whose file name contains one of the NAMEs).
// Every figure is printed next to a floor measured in the same run (bare node, a raw write, a bare
// HTTP request), so the numbers mean something on a noisy shared machine. With --json, every
// figure and target of the run is written to one file (README: "Performance") to compare runs.
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// Bundles go to a folder of this run's own (inside node_modules, so that the packages they leave
// external resolve): two runs at once — checkouts sharing one node_modules — never overwrite each
// other's build.
const cacheDir = path.join(root, 'node_modules/.cache/imos-bench');
mkdirSync(cacheDir, { recursive: true });
const outdir = mkdtempSync(path.join(cacheDir, 'run-'));
process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));

const args = process.argv.slice(2);
let jsonFile = null;
const only = [];
for (const arg of args) {
  if (arg === '--json') jsonFile = path.join(root, 'bench-results', `${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`);
  else if (arg.startsWith('--json=')) jsonFile = path.resolve(arg.slice('--json='.length));
  else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else only.push(arg);
}

const available = readdirSync(path.join(root, 'scripts/bench'))
  .filter((f) => /\.tsx?$/.test(f) && f !== 'measure.ts')
  .sort();
const names = available.map((f) => f.replace(/\.tsx?$/, ''));
for (const wanted of only) if (!names.some((n) => n.includes(wanted))) usage(`no bench named "${wanted}"`);
const entries = available.filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

// The commands are measured as built from this checkout: build dist/ first.
if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'imos-bench-results-'));
const resultsFile = path.join(scratch, 'results.jsonl');
writeFileSync(resultsFile, '');
const startedAt = new Date();
const machine = {
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryMb: Math.round(os.totalmem() / 2 ** 20),
  loadAverageAtStart: os.loadavg().map((v) => Number(v.toFixed(2))),
};
console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryMb} MB, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

const benches = [];
for (const entry of entries) {
  const name = entry.replace(/\.tsx?$/, '');
  const outfile = path.join(outdir, entry.replace(/\.tsx?$/, '.mjs'));
  // Bundled like dist/ (same Ink patch, production React), so the figures are the product's.
  await build({
    ...bundleOptions,
    entryPoints: [path.join(root, 'scripts/bench', entry)],
    outfile,
    // Tools the benchmarks drive, loaded from node_modules as they are.
    external: [...bundleOptions.external, 'esbuild', 'playwright-core'],
  });
  process.stdout.write(`\n== ${name}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [outfile], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, CI: undefined, IMOS_BENCH_RESULTS: resultsFile, IMOS_BENCH_NAME: name },
  });
  benches.push({ name, exitCode: run.status, seconds: Number(((Date.now() - started) / 1000).toFixed(1)) });
}

const records = readFileSync(resultsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
rmSync(scratch, { recursive: true, force: true });

const result = {
  format: 'imos-bench/1',
  startedAt: startedAt.toISOString(),
  seconds: Number(((Date.now() - startedAt.getTime()) / 1000).toFixed(1)),
  selected: only,
  machine: { ...machine, loadAverageAtEnd: os.loadavg().map((v) => Number(v.toFixed(2))) },
  benches: benches.map((b) => ({
    name: b.name,
    // false: the bench itself failed (crashed, or could not measure); a missed target is not a failure.
    completed: b.exitCode === 0 || records.some((r) => r.bench === b.name && r.kind === 'target' && !r.met),
    seconds: b.seconds,
    figures: records.filter((r) => r.bench === b.name && r.kind === 'figure').map(({ bench, kind, ...r }) => r),
    targets: records.filter((r) => r.bench === b.name && r.kind === 'target').map(({ bench, kind, ...r }) => r),
  })),
};

const targets = result.benches.flatMap((b) => b.targets.map((t) => ({ ...t, bench: b.name })));
const missed = targets.filter((t) => !t.met);
const crashed = result.benches.filter((b) => !b.completed);
console.log(`\n== summary (${result.seconds} s): ${targets.length - missed.length} of ${targets.length} targets met`);
for (const t of missed) console.log(`MISSED  [${t.bench}] ${t.name} — ${t.reason}`);
for (const b of crashed) console.log(`FAILED  [${b.name}] the bench did not complete (exit ${b.exitCode ?? 'signal'})`);
if (jsonFile) {
  mkdirSync(path.dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), jsonFile) || jsonFile}`);
}
process.exitCode = crashed.length > 0 ? 1 : missed.length > 0 ? 2 : 0;

function usage(problem) {
  const list = readdirSync(path.join(root, 'scripts/bench'))
    .filter((f) => /\.tsx?$/.test(f) && f !== 'measure.ts')
    .map((f) => f.replace(/\.tsx?$/, ''))
    .sort();
  process.stderr.write(`bench: ${problem}\nusage: npm run bench [-- NAME…] [--json[=FILE]]   (benches: ${list.join(', ')})\n`);
  process.exit(64);
}
