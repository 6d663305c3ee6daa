// Bundle the CLI into dist/ with esbuild: one file for the first frame, with what it does not
// need (PostgreSQL, Slack, SMTP, the demo) split into chunks loaded on demand.
import { build } from 'esbuild';
import { inkOutputCache } from './ink-output-cache.mjs';
import { renameSync, rmSync } from 'node:fs';

// Build beside dist/ and swap it in, so a running `imos` (or test) never sees a half-built dist.
const dist = new URL('../dist', import.meta.url).pathname;
const outdir = `${dist}.build-${process.pid}`;
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { imos: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  // Smaller code compiles faster at start-up; the source map keeps stack traces readable.
  minify: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Optional peers that imos never uses.
  alias: { 'react-devtools-core': new URL('./empty-module.mjs', import.meta.url).pathname },
  external: ['pg-native', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS packages call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __imosCreateRequire } from 'node:module'; const require = __imosCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [inkOutputCache],
  logLevel: 'warning',
});

const old = `${dist}.old-${process.pid}`;
try {
  renameSync(dist, old);
} catch {
  // no previous build
}
renameSync(outdir, dist);
rmSync(old, { recursive: true, force: true });
