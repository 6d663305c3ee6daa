// A broken build fails the test run before any test starts, and leaves no older dist/imos.js that
// a test (or a user) could run in its place. Tried on a copy of this checkout with a syntax error.
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const BOUND_MS = 120_000;
let dir: string;

/** Runs a command in the copy; its exit code and output, whatever the outcome. */
async function inCopy(args: string[]): Promise<{ code: number; output: string }> {
  // The copy's own vitest must not take this run's worker settings for its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|NODE_OPTIONS$|TEST$)/.test(name)));
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: dir, env, timeout: BOUND_MS, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imos-broken-build-'));
  for (const name of ['package.json', 'tsconfig.json', 'vitest.config.ts', 'bin', 'scripts', 'src', 'checks', 'views', 'web']) {
    cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  }
  mkdirSync(join(dir, 'test/helpers'), { recursive: true });
  cpSync(join(ROOT, 'test/helpers/global-setup.ts'), join(dir, 'test/helpers/global-setup.ts'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // A test that leaves a mark when it runs: it must never get to.
  writeFileSync(join(dir, 'test/canary.test.ts'), "import { writeFileSync } from 'node:fs';\nimport { it } from 'vitest';\nit('ran', () => writeFileSync('canary-ran', 'yes'));\n");
  // What an earlier, good build left.
  mkdirSync(join(dir, 'dist/chunks'), { recursive: true });
  writeFileSync(join(dir, 'dist/imos.js'), 'export async function main() { return 0; }\n');
  // The mistake.
  appendFileSync(join(dir, 'src/cli/main.ts'), '\nexport const = ;\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a broken build', () => {
  it('fails scripts/build.mjs and removes the older dist/imos.js', async () => {
    const { code, output } = await inCopy(['scripts/build.mjs']);
    expect(code).not.toBe(0);
    expect(output).toContain('src/cli/main.ts');
    // Broken by the mistake alone: the copy holds every source the bundle draws from.
    expect(output).not.toContain('Could not resolve');
    expect(output).toContain('dist/imos.js was removed');
    expect(existsSync(join(dir, 'dist/imos.js'))).toBe(false);
    // The installed command says so instead of running anything.
    const bin = await inCopy(['bin/imos.js', '--version']);
    expect(bin.code).toBe(1);
    expect(bin.output).toContain('the CLI is not built yet');
  }, BOUND_MS + 10_000);

  it('fails the test run before any test starts', async () => {
    writeFileSync(join(dir, 'dist/imos.js'), 'export async function main() { return 0; }\n');
    const { code, output } = await inCopy([join(dir, 'node_modules/vitest/vitest.mjs'), 'run', 'test/canary.test.ts']);
    expect(code).not.toBe(0);
    expect(output).toContain('building the CLI failed');
    expect(output).toContain('src/cli/main.ts');
    expect(existsSync(join(dir, 'canary-ran'))).toBe(false);
    expect(existsSync(join(dir, 'dist/imos.js'))).toBe(false);
  }, BOUND_MS + 10_000);

  it('is not the only guard: `npm test` type-checks the whole project before vitest starts, and CI runs `npm test`', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const steps = scripts.test!.split('&&').map((step) => step.trim());
    expect(steps[0]).toMatch(/^tsc --noEmit -p tsconfig\.json$/);
    expect(steps.at(-1)).toMatch(/^vitest run\b/);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
