// `npm run bench`: build the benchmark entry points with esbuild and run them one after another.
// Every figure is printed next to a floor measured in the same run (bare node, a raw write, a bare
// HTTP request), so the numbers mean something on a noisy shared machine.
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'node_modules/.cache/imos-bench');
mkdirSync(outdir, { recursive: true });

if (!existsSync(path.join(root, 'dist/imos.js'))) {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}

const only = process.argv.slice(2);
const entries = readdirSync(path.join(root, 'scripts/bench'))
  .filter((f) => /\.tsx?$/.test(f) && f !== 'measure.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const entry of entries) {
  const outfile = path.join(outdir, entry.replace(/\.tsx?$/, '.mjs'));
  // Bundled like dist/ (same Ink patch, production React), so the figures are the product's.
  await build({
    ...bundleOptions,
    entryPoints: [path.join(root, 'scripts/bench', entry)],
    outfile,
    external: [...bundleOptions.external, 'esbuild'],
  });
  process.stdout.write(`\n== ${entry.replace(/\.tsx?$/, '')}\n`);
  const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root, env: { ...process.env, CI: undefined } });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
