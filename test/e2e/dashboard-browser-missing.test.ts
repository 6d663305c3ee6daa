// Without Chromium the dashboard's browser tests say so: on a developer's machine they are skipped
// with a line saying how to install it; under CI=true the run fails instead of passing silently.
// Each case runs the browser test file in a vitest of its own, with IMOS_CHROMIUM naming a path
// where there is no browser.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANG_MS } from '../helpers/bounds.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NO_BROWSER = path.join(ROOT, 'test-output', 'no-chromium-here');

function runBrowserTests(ci: string | null): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, IMOS_CHROMIUM: NO_BROWSER, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete env[key];
  if (ci !== null) env.CI = ci;
  const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  return new Promise((resolve) => {
    execFile(process.execPath, [vitest, 'run', 'test/e2e/dashboard-browser.test.ts'], { cwd: ROOT, env, timeout: 4 * HANG_MS, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('the dashboard’s browser tests without Chromium', () => {
  it('skip on a developer’s machine, saying how to install it', async () => {
    const { code, output } = await runBrowserTests(null);
    expect(code, output).toBe(0);
    expect(output).toContain(`no Chromium at ${NO_BROWSER}: the dashboard's browser tests are skipped. Install it (Debian/Ubuntu: sudo apt-get install chromium)`);
    expect(output).toMatch(/Tests\s+\d+ skipped/);
    expect(output).not.toMatch(/\d+ passed/);
  }, 5 * HANG_MS);

  it('fail under CI=true, never a silent skip', async () => {
    const { code, output } = await runBrowserTests('true');
    expect(code, output).not.toBe(0);
    expect(output).toContain(`no Chromium at ${NO_BROWSER}: the dashboard's browser tests cannot run`);
    expect(output).toMatch(/1 failed/);
  }, 5 * HANG_MS);
});
