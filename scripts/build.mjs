// Bundle the CLI into dist/ with esbuild (scripts/core-build.mjs): the entry, one core file with
// everything the console's first frame needs (run from V8's code cache), and the rest split into
// modules loaded on demand (Ink, PostgreSQL, Slack, SMTP, the demo, the other commands).
import { buildDist } from './core-build.mjs';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Build beside dist/, then move it in, so a running `imos` (or test) never sees a half-built dist.
const dist = new URL('../dist', import.meta.url).pathname;
const outdir = `${dist}.build-${process.pid}`;
rmSync(outdir, { recursive: true, force: true });

// What this build was made from (each input file and its directory, with its size and mtime), so
// the test runs can tell that dist/ is current and skip building again (test/helpers/global-setup.ts).
const inputsFile = `${dist}.inputs.json`;
rmSync(inputsFile, { force: true });
let result;
try {
  result = await buildDist({ root: path.resolve(dist, '..'), outdir });
  writeFileSync(path.join(outdir, result.core.name), result.core.text);
  if (result.core.map) writeFileSync(path.join(outdir, `${result.core.name}.map`), result.core.map);
} catch {
  // esbuild has printed the errors. The previous build must not pass for this one: without its
  // entry, bin/imos.js says the CLI is not built and the tests refuse to start.
  rmSync(outdir, { recursive: true, force: true });
  for (const name of ['imos.js', 'imos.js.map']) rmSync(path.join(dist, name), { force: true });
  process.stderr.write('imos: the build failed; dist/imos.js was removed so no older build runs in its place\n');
  process.exit(1);
}

// Move the new files in one by one (each rename is atomic). Late modules, chunks and cores of the
// previous build stay a while: an imos started from this checkout before the build still loads its
// late modules on demand (their names carry their content's hash).
const fresh = new Set();
for (const relative of ['chunks', 'late', '.']) {
  mkdirSync(path.join(dist, relative), { recursive: true });
  for (const name of readdirSync(path.join(outdir, relative))) {
    if (relative === '.' && (name === 'chunks' || name === 'late')) continue;
    fresh.add(path.join(relative, name));
    renameSync(path.join(outdir, relative, name), path.join(dist, relative, name));
  }
}
rmSync(outdir, { recursive: true, force: true });
// A build for `npm pack` / `npm publish` keeps none: the tarball ships dist/ as it is.
const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');
const STALE_MS = 60 * 60 * 1000;
for (const relative of ['chunks', 'late', '.']) {
  for (const name of readdirSync(path.join(dist, relative))) {
    const file = path.join(dist, relative, name);
    if (relative === '.' && !name.startsWith('core-')) continue;
    if (!fresh.has(path.join(relative, name)) && (packing || Date.now() - statSync(file).mtimeMs > STALE_MS)) rmSync(file, { force: true });
  }
}

const root = path.resolve(dist, '..');
const made = new Set(['package.json', 'package-lock.json', ...readdirSync(path.join(root, 'scripts')).map((n) => path.join('scripts', n))]);
for (const metafile of result.metafiles) for (const input of Object.keys(metafile.inputs)) if (!input.includes(':')) made.add(input);
for (const input of [...made]) made.add(path.dirname(input));
const files = [];
for (const input of made) {
  try {
    const stat = statSync(path.join(root, input));
    files.push([input, stat.mtimeMs, stat.size]);
  } catch {
    // not a file on disk (a plugin's own module): its plugin is among the scripts
  }
}
writeFileSync(inputsFile, JSON.stringify({ files }));
