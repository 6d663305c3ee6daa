// Installing imos: `npm pack` from a checkout ships this build's chunks only (a normal build keeps
// the previous build's chunks an hour, since a running imos may still load them); the packed
// package installs into a fresh prefix with no development dependencies and runs; and a checkout
// installs globally by the route the README gives, while `npm install -g .` on a fresh clone says
// what to run instead of failing on a missing build tool.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const servers: HttpTarget[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const s of servers.splice(0)) await s.close();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** The tracked files of a checkout, as a fresh clone has them (no node_modules, no dist). */
function freshClone(): string {
  const dir = tempDir('imos-pack-test-');
  for (const name of ['package.json', 'package-lock.json', 'README.md', 'bin', 'scripts', 'src', 'checks', 'views', 'web', 'data']) {
    cpSync(join(ROOT, name), join(dir, name), { recursive: true, filter: (from) => !from.includes(`${join('data', 'example', '.imos')}`) });
  }
  return dir;
}

/** A checkout after `npm install`: the development dependencies are there. */
function installedCheckout(): string {
  const dir = freshClone();
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

// npm with its own cache for what it writes, and the machine's cache for packages it has seen.
function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
}

async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = npmEnv()) {
  return run('npm', args, { cwd, timeout: 240_000, env, maxBuffer: 16 * 1024 * 1024 });
}

// Only the installed prefix and node itself on PATH: nothing from the checkout can stand in.
function installedEnv(prefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: process.env.HOME ?? tmpdir(), PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, TZ: 'UTC', ...extra };
}

describe('npm pack', () => {
  it('ships only the chunks of the build it ran, while a normal build keeps older ones', async () => {
    const dir = installedCheckout();
    mkdirSync(join(dir, 'dist', 'chunks'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'chunks', 'chunk-PREVIOUS.js'), 'export {};\n');
    await run(process.execPath, ['scripts/build.mjs'], { cwd: dir, timeout: 60_000 });
    expect(existsSync(join(dir, 'dist', 'chunks', 'chunk-PREVIOUS.js'))).toBe(true);

    const { stdout } = await npm(['pack', '--dry-run', '--json', '--ignore-scripts=false'], dir, npmEnv({ npm_config_cache: join(dir, '.npm-cache') }));
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain('dist/imos.js');
    expect(files).toContain('bin/imos.js');
    expect(files.some((f) => f.startsWith('dist/chunks/'))).toBe(true);
    expect(files).not.toContain('dist/chunks/chunk-PREVIOUS.js');
  }, 150_000);

  it('installs the packed package into a fresh prefix, and the installed imos inits, validates and checks a project', async () => {
    const dir = installedCheckout();
    const out = tempDir('imos-pack-out-');
    await npm(['pack', '--ignore-scripts=false', '--pack-destination', out], dir);
    const [tarball] = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^imos-\d+\.\d+\.\d+\.tgz$/);

    // Production dependencies only, from the machine's npm cache where it has them.
    const prefix = tempDir('imos-prefix-');
    await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', join(out, tarball!)], out);
    const installed = join(prefix, 'lib', 'node_modules', 'imos');
    expect(existsSync(join(installed, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'vitest'))).toBe(false);

    const project = tempDir('imos-installed-project-');
    const version = await run('imos', ['--version'], { cwd: project, env: installedEnv(prefix), timeout: CLI_HANG_MS });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    const init = await run('imos', ['init'], { cwd: project, env: installedEnv(prefix), timeout: CLI_HANG_MS });
    expect(init.stdout).toContain('wrote imos.yaml');
    // The TypeScript check runs with the compiler installed beside imos (the project has none).
    cpSync(join(ROOT, 'test', 'fixtures', 'ts-project-clean'), join(project, 'ts'), { recursive: true });
    const yaml = join(project, 'imos.yaml');
    const text = readFileSync(yaml, 'utf8');
    writeFileSync(
      yaml,
      text.replace(
        /\nchecks:\n/,
        '\nchecks:\n  - id: web-types\n    system: web\n    kind: typescript\n    project: ./ts/tsconfig.json\n    thresholds: { HIGH: "errors > 0" }\n\n',
      ),
    );

    const validate = await run('imos', ['validate'], { cwd: project, env: installedEnv(prefix), timeout: CLI_HANG_MS });
    expect(validate.stdout).toMatch(/valid — .*4 checks/);

    const target = await startHttpTarget({ '/health': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') });
    servers.push(target);
    const urls = { PLATFORM_URL: target.url, API_URL: target.url, WEB_URL: target.url };
    const options = { cwd: project, env: installedEnv(prefix, urls), timeout: 120_000 };
    const check = await run('imos', ['check'], options).catch((error: { stdout?: string }) => error);
    const stdout = check.stdout ?? '';
    for (const id of ['platform-health', 'api-health', 'web-health', 'web-types']) expect(stdout).toContain(id);
    expect(stdout).toMatch(/web-types +web +typescript +ok +0 .*no errors/);
    const failing = stdout.split('\n').filter((line) => /CRITICAL|HIGH|ERROR|\berror\b/.test(line));
    if (failing.length > 0) {
      // The generated config expects an answer within 500 ms; on a loaded machine, beside the
      // typescript check's compiler, a loopback answer can be slower. Only that may fail, and the
      // three health checks then pass on their own.
      for (const line of failing) expect(line).toMatch(/-health .*latency/);
      const again = await run('imos', ['check', '--only', 'platform-health', 'api-health', 'web-health'], options);
      expect(again.stdout).not.toMatch(/CRITICAL|HIGH|ERROR|\berror\b/);
    }
    expect(target.requests.filter((r) => r.path === '/health').length).toBeGreaterThanOrEqual(3);
  }, 400_000);
});

describe('a global install from a checkout', () => {
  it('on a fresh clone, `npm install -g .` names the route that works instead of failing on a missing build tool', async () => {
    const dir = freshClone();
    const prefix = tempDir('imos-prefix-');
    const failed = await npm(['install', '-g', '--prefix', prefix, '.'], dir).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).not.toBeNull();
    expect(failed!.stderr).toContain('npm install && npm install -g .');
    expect(failed!.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  }, 300_000);

  it('after `npm install`, `npm install -g .` builds and installs a working imos', async () => {
    const dir = installedCheckout();
    const prefix = tempDir('imos-prefix-');
    await npm(['install', '-g', '--prefix', prefix, '.'], dir);
    const version = await run('imos', ['--version'], { cwd: tmpdir(), env: installedEnv(prefix), timeout: CLI_HANG_MS });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 300_000);
});
