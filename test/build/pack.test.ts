// `npm pack` from a checkout: the tarball holds this build's chunks only. A normal build keeps the
// previous build's chunks an hour (a running imos may still load them), but they must not ship.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function checkoutCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imos-pack-test-'));
  dirs.push(dir);
  for (const name of ['package.json', 'README.md', 'bin', 'scripts', 'src', 'checks', 'views', 'web', 'data']) {
    cpSync(join(ROOT, name), join(dir, name), { recursive: true, filter: (from) => !from.includes(`${join('data', 'example', '.imos')}`) });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('npm pack', () => {
  it('ships only the chunks of the build it ran, while a normal build keeps older ones', async () => {
    const dir = checkoutCopy();
    mkdirSync(join(dir, 'dist', 'chunks'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'chunks', 'chunk-PREVIOUS.js'), 'export {};\n');
    await run(process.execPath, ['scripts/build.mjs'], { cwd: dir, timeout: 60_000 });
    expect(existsSync(join(dir, 'dist', 'chunks', 'chunk-PREVIOUS.js'))).toBe(true);

    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts=false'], {
      cwd: dir,
      timeout: 120_000,
      env: { ...process.env, npm_config_cache: join(dir, '.npm-cache'), npm_config_update_notifier: 'false' },
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain('dist/imos.js');
    expect(files).toContain('bin/imos.js');
    expect(files.some((f) => f.startsWith('dist/chunks/'))).toBe(true);
    expect(files).not.toContain('dist/chunks/chunk-PREVIOUS.js');
  }, 150_000);
});
