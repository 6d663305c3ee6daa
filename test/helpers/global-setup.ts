// Runs once before the suite: builds the bundled CLI that the CLI, daemon, demo and end-to-end
// tests start. A failed build fails the whole run here, before any test starts: no test may pass
// against an older dist/ (scripts/build.mjs also removes the old entry when a build fails).
import { spawnSync } from 'node:child_process';

const BUILD_TIMEOUT_MS = 180_000;

export default function setup(): void {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  if (build.status !== 0) {
    const why = build.error ? String(build.error) : build.status === null ? `stopped by ${build.signal}` : `exit ${build.status}`;
    throw new Error(`building the CLI failed (${why}); no test runs against an older build:\n${build.stderr}`);
  }
}
