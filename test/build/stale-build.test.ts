// bin/imos.js beside a dist/ built by an older imos (an entry without an export bin/imos.js calls)
// says to rebuild instead of failing with a TypeError. Run as a real process on a copy of bin/.
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imos-stale-build-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  cpSync(join(ROOT, 'bin/imos.js'), join(dir, 'bin/imos.js'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  // What an older build left: its entry exported `main` only.
  writeFileSync(join(dir, 'dist/imos.js'), "export async function main() { process.stdout.write('ran\\n'); return 0; }\n");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bin/imos.js with an older dist/', () => {
  it('says the build is older and to rebuild, on stderr, with exit 1, running nothing', async () => {
    const run = await execa(process.execPath, [join(dir, 'bin/imos.js'), '--version'], { cwd: dir, reject: false, timeout: CLI_HANG_MS });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('imos: the built CLI in dist/ is older than bin/imos.js; run `npm run build` in the imos folder');
    expect(run.stdout).toBe('');
  }, CLI_HANG_MS + 10_000);
});
