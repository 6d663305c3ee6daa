// `imos init` through the built binary, without a terminal: defaults, a valid result, no overwrite.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configTemplate, matrixTemplate, parseSystems } from '../../src/cli/commands/init.js';
import { loadConfigText } from '../../src/config/load.js';
import { parseOrThrow } from '../../src/plan/matrix-file.js';
import { runImos } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'imos-init-test-'));
  dirs.push(dir);
  return dir;
};

describe('imos init', () => {
  it('writes a commented config and a matrix with the defaults, and the config validates', async () => {
    const dir = freshDir();
    const init = await runImos(['init'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.exitCode).toBe(0);
    const config = readFileSync(join(dir, 'imos.yaml'), 'utf8');
    expect(config).toMatch(/^# imos configuration for /);
    expect(config).toContain('platform-health');
    const validate = await runImos(['validate'], { cwd: dir, env: { IMOS_STORE: '', DATABASE_URL: '' } });
    expect(validate.stdout).toContain('valid — ');
    expect(validate.stdout).toContain('3 systems, 3 checks');
    expect(validate.exitCode).toBe(0);
    const matrix = await runImos(['matrix', '--json'], { cwd: dir });
    expect(matrix.exitCode).toBe(0);
    expect(JSON.parse(matrix.stdout)).toBeTruthy();
  });

  it('makes one plain line of a directory name with a newline or terminal controls, and the config validates', async () => {
    const parent = freshDir();
    const dir = join(parent, 'hotel\nproject: x \u001b]0;owned\u0007v2');
    mkdirSync(dir);
    const init = await runImos(['init'], { cwd: dir });
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain('for "hotel project: x v2"');
    expect(init.stdout).not.toContain('\u001b');
    expect(readFileSync(join(dir, 'imos.yaml'), 'utf8').split('\n')[0]).toBe('# imos configuration for hotel project: x v2. Reference: the README ("Configuration").');
    const validate = await runImos(['validate'], { cwd: dir, env: { IMOS_STORE: '', DATABASE_URL: '' } });
    expect(validate.exitCode).toBe(0);
    const matrix = await runImos(['matrix', '--json'], { cwd: dir });
    expect(matrix.exitCode).toBe(0);
  });

  it('refuses to overwrite, names the files, and leaves them as they were', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'Integration_Management_Matrix.md'), 'mine\n');
    const init = await runImos(['init'], { cwd: dir });
    expect(init.exitCode).toBe(1);
    expect(init.stderr).toContain('will not overwrite Integration_Management_Matrix.md');
    expect(readFileSync(join(dir, 'Integration_Management_Matrix.md'), 'utf8')).toBe('mine\n');
    expect(() => readFileSync(join(dir, 'imos.yaml'))).toThrow();
  });

  it('templates load for any answers a person may type', () => {
    const systems = parseSystems('Hotel PMS, member_api,, Hotel PMS  legacy.db');
    expect(systems).toEqual(['hotel-pms', 'member_api', 'hotel-pms-legacy.db']);
    const answers = { project: 'Quote "this": project #1', systems };
    const config = loadConfigText(configTemplate(answers), '/tmp/x/imos.yaml', { env: {} });
    expect(config.project).toBe('Quote "this": project #1');
    expect(Object.keys(config.systems)).toEqual(systems);
    const matrix = parseOrThrow(matrixTemplate(answers), '/tmp/x/Integration_Management_Matrix.md');
    expect(matrix.items.length).toBe(systems.length);
    expect(matrix.tasks.length).toBe(systems.length + 1);
  });
});
