// An esbuild plugin for the bundled console: yoga-layout (Ink's layout engine) carries its
// WebAssembly as a base64 data: URL and, when `fetch` exists, loads it with fetch(). On Node that
// first use of fetch loads undici (measured: 50–170 ms of the console's start-up, the largest
// single cost of Ink's import). This makes yoga decode the bytes it already holds instead, the
// path it takes where there is no fetch. If yoga's source changes shape, the build fails here
// rather than silently loading undici again.
import { readFile } from 'node:fs/promises';

// Both places that choose fetch: reading the binary, and compiling it (instantiateStreaming).
const CHOICES = ['w||"function"!=typeof fetch?', '||"function"!=typeof fetch?c(b):'];

export const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const choice of CHOICES) {
        if (contents.split(choice).length !== 2) {
          throw new Error(`yoga-without-fetch: ${args.path} no longer has the expected shape; review the plugin`);
        }
        // `"function"!=typeof fetch` → always true: take the no-fetch branch.
        contents = contents.replace(choice, choice.replace('"function"!=typeof fetch', '!0'));
      }
      return { contents, loader: 'js' };
    });
  },
};
