// Runs once before the suite: build the bundled CLI so end-to-end tests start the real binary.
// A failed build does not stop unit tests from running; the end-to-end tests then fail on the
// missing binary, and the build error is printed here.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(`\n[imos] building the CLI failed; end-to-end tests will fail:\n${build.stderr}\n`);
  }
}
