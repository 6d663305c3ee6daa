// Bundle the CLI into dist/ with esbuild: one file for the first frame, with what it does not
// need (PostgreSQL, Slack, SMTP, the demo) split into chunks loaded on demand.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist/', import.meta.url).pathname;
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
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Optional peers that imos never uses.
  external: ['react-devtools-core', 'pg-native', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS packages call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __imosCreateRequire } from 'node:module'; const require = __imosCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
