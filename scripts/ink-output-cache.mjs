// An esbuild plugin for the bundled console: Ink 6.8 builds a new Output, with empty caches, for
// every frame, so every frame tokenises every line of ANSI text again (most of a key press's cost
// at 160×48). This makes the caches shared across frames, bounded in size. The cached values are
// never mutated by Ink (measured: a key press at 160×48 goes from ~14 ms to ~8 ms at p50).
// If Ink's source changes shape, the build fails here rather than silently losing the cache.
import { readFile } from 'node:fs/promises';

const MARK = '    caches = new OutputCaches();';
const LIMIT = 20_000;

export const inkOutputCache = {
  name: 'ink-output-cache',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(MARK) || !source.includes('export default class Output {')) {
        throw new Error(`ink-output-cache: ${args.path} no longer has the expected shape; review the plugin`);
      }
      const shared = `
const imosSharedCaches = new OutputCaches();
function imosOutputCaches() {
  for (const map of [imosSharedCaches.widths, imosSharedCaches.blockWidths, imosSharedCaches.styledChars]) {
    if (map.size > ${LIMIT}) map.clear();
  }
  return imosSharedCaches;
}
export default class Output {`;
      const contents = source
        .replace('export default class Output {', shared)
        .replace(MARK, '    caches = imosOutputCaches();');
      return { contents, loader: 'js' };
    });
  },
};
