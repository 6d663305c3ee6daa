// The esbuild options every bundle of imos shares (dist/ and the benchmarks), so the benchmarks
// measure what users run: production React, Ink's output caches shared across frames, no style
// diff inside a run of one style (ink-style-runs.mjs), a require()
// for bundled CommonJS packages, no import of optional packages imos never uses, and Ink's layout
// engine loaded without fetch (which would load undici at start-up).
import { inkOutputCache } from './ink-output-cache.mjs';
import { inkStyleRuns } from './ink-style-runs.mjs';
import { yogaWithoutFetch } from './yoga-without-fetch.mjs';

export const bundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Smaller code compiles faster at start-up.
  minify: true,
  alias: { 'react-devtools-core': new URL('./empty-module.mjs', import.meta.url).pathname },
  external: ['pg-native', 'bufferutil', 'utf-8-validate'],
  banner: {
    js: "import { createRequire as __imosCreateRequire } from 'node:module'; const require = __imosCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [inkOutputCache, inkStyleRuns, yogaWithoutFetch],
  logLevel: 'warning',
};
