// Runs once before the suite: builds the bundled CLI that the CLI, daemon, demo and end-to-end
// tests start (or reuses dist/ when it was built from the files as they are now). A failed build
// fails the whole run here, before any test starts: no test may pass
// against an older dist/ (scripts/build.mjs also removes the old entry when a build fails).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const BUILD_TIMEOUT_MS = 180_000;
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * dist/ was built from the files as they are now: every input the last build recorded (and each
 * input's directory, so a file added beside them counts too) has the same size and mtime. A run
 * right after another (the fault suite after the suite) then reuses the build.
 */
function distIsCurrent(): boolean {
  try {
    if (!existsSync(path.join(ROOT, 'dist', 'imos.js'))) return false;
    const { files } = JSON.parse(readFileSync(path.join(ROOT, 'dist.inputs.json'), 'utf8')) as { files: Array<[string, number, number]> };
    return (
      files.length > 0 &&
      files.every(([file, mtimeMs, size]) => {
        const stat = statSync(path.join(ROOT, file));
        return stat.mtimeMs === mtimeMs && stat.size === size;
      })
    );
  } catch {
    return false; // no record, or an input gone: build
  }
}

export default function setup(): void {
  if (distIsCurrent()) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  if (build.status !== 0) {
    const why = build.error ? String(build.error) : build.status === null ? `stopped by ${build.signal}` : `exit ${build.status}`;
    throw new Error(`building the CLI failed (${why}); no test runs against an older build:\n${build.stderr}`);
  }
}
