// A package loaded on its first use rather than with the module that needs it: for code on the
// console's way to its first frame that rarely needs a package whose loading costs more than the
// frame (README: "Performance"). A synchronous require, so the caller stays synchronous (an ES
// module package too: Node ≥ 20.19). A leaf: it imports nothing of imos.
import { createRequire } from 'node:module';

/** Returns what `pick` takes from package `name`, loading the package on the first call only. */
export function onFirstUse<M, T>(name: string, pick: (module: M) => T): () => T {
  let value: T | undefined;
  return () => (value ??= pick(createRequire(import.meta.url)(name) as M));
}
