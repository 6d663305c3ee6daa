// npm's `prepare` (run by `npm install` in a checkout, `npm install -g .` and `npm pack`): build
// dist/ with the development tools. `npm install -g .` links the folder without installing its
// dependencies, so on a fresh clone esbuild is absent: then an existing build is kept, and with no
// build the message names the route that works instead of a module-resolution stack trace.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
function installed(name) {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

if (!installed('esbuild')) {
  if (existsSync(new URL('dist/imos.js', root))) {
    process.stderr.write('imos: esbuild is not installed; keeping the existing build in dist/\n');
    process.exit(0);
  }
  process.stderr.write(
    'imos: building needs the development dependencies, which are not installed in this folder.\n' +
      'From a checkout, install them first:  npm install && npm install -g .\n',
  );
  process.exit(1);
}
const build = spawnSync(process.execPath, [fileURLToPath(new URL('build.mjs', import.meta.url))], { stdio: 'inherit', cwd: fileURLToPath(root) });
process.exit(build.status ?? 1);
