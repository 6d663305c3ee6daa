// Bundle the CLI into dist/ with esbuild: one file for the first frame, with what it does not
// need (PostgreSQL, Slack, SMTP, the demo) split into chunks loaded on demand.
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

// Build beside dist/, then move it in, so a running `imos` (or test) never sees a half-built dist.
const dist = new URL('../dist', import.meta.url).pathname;
const outdir = `${dist}.build-${process.pid}`;
rmSync(outdir, { recursive: true, force: true });

await build({
  ...bundleOptions,
  entryPoints: { imos: 'src/cli/main.ts' },
  outdir,
  splitting: true,
  // The source map keeps stack traces readable in the minified bundle.
  sourcemap: 'linked',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
});

// Move the new files in one by one (each rename is atomic). Chunks of the previous build stay a
// while: an imos started from this checkout before the build still loads its chunks lazily.
mkdirSync(path.join(dist, 'chunks'), { recursive: true });
const fresh = new Set();
for (const relative of ['chunks', '.']) {
  for (const name of readdirSync(path.join(outdir, relative))) {
    if (relative === '.' && name === 'chunks') continue;
    fresh.add(path.join(relative, name));
    renameSync(path.join(outdir, relative, name), path.join(dist, relative, name));
  }
}
rmSync(outdir, { recursive: true, force: true });
// A build for `npm pack` / `npm publish` keeps none: the tarball ships dist/ as it is.
const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');
const STALE_MS = 60 * 60 * 1000;
for (const name of readdirSync(path.join(dist, 'chunks'))) {
  const file = path.join(dist, 'chunks', name);
  if (!fresh.has(path.join('chunks', name)) && (packing || Date.now() - statSync(file).mtimeMs > STALE_MS)) rmSync(file, { force: true });
}
