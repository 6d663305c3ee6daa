// Small formatting helpers for check messages.

/** `1 error` / `3 errors`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/** `512 B`, `1.5 KiB`, `1 MiB` (the one formatter of sizes, in src/text). */
export { formatBytes } from '../../src/text/values.js';
