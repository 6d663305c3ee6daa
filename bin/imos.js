#!/usr/bin/env node
// The installed `imos` command: runs the bundled CLI (built by `npm run build` / on install).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/imos.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('imos: the CLI is not built yet; run `npm run build` in the imos folder\n');
  process.exit(1);
}
const { main, leaveWhenWritten } = await import(bundle.href);
// A dist/ built by an older imos lacks what this file calls: say so instead of a TypeError.
if (typeof main !== 'function' || typeof leaveWhenWritten !== 'function') {
  process.stderr.write('imos: the built CLI in dist/ is older than bin/imos.js; run `npm run build` in the imos folder\n');
  process.exit(1);
}
// Leave as soon as the command has finished and its output is written (src/cli/leave.ts).
leaveWhenWritten(await main(process.argv));
