// Files people write are bounded: a 50 MB imos.yaml (or matrix) is refused at once, naming the
// file and the limit, instead of being parsed at the cost of gigabytes; a directory where the
// configuration or the store's file should be is said in words. The built binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runImos } from '../helpers/cli.js';
import { HANG_MS } from '../helpers/bounds.js';
import { EXIT } from '../../src/exit.js';

const CONFIG = 'project: Limits\ntimezone: UTC\nsystems: { core: { name: Core } }\nchecks: []\nmatrix: ./matrix.md\nstore: ./data/imos.json\n';

describe('file limits and directories (built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-limits-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses a 50 MB imos.yaml quickly, naming the file and the limit', async () => {
    const big = path.join(dir, 'big.yaml');
    // Valid YAML all the way: a parser would read and build every line of it.
    const filler = '# ' + 'x'.repeat(1021) + '\n';
    await fs.writeFile(big, CONFIG + filler.repeat(50 * 1024));
    expect((await fs.stat(big)).size).toBeGreaterThan(50 * 1024 * 1024);
    const started = Date.now();
    const run = await runImos(['--config', big, 'status'], { cwd: dir });
    expect(Date.now() - started).toBeLessThan(HANG_MS);
    expect(run.exitCode).toBe(EXIT.config);
    expect(run.stderr).toContain(big);
    expect(run.stderr).toMatch(/the file is 50(\.\d)? MiB; imos reads at most 8 MiB/);
  });

  it('refuses a matrix over the limit, naming it', async () => {
    await fs.writeFile(path.join(dir, 'imos.yaml'), CONFIG);
    const matrix = path.join(dir, 'matrix.md');
    await fs.writeFile(matrix, '| Table | System | Status |\n|---|---|---|\n' + '| t | core | done |\n'.repeat(500_000));
    const run = await runImos(['matrix'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`${matrix}: not read as the matrix: the file is`);
    expect(run.stderr).toContain('imos reads at most 8 MiB');
    await fs.rm(matrix);
  });

  it('says so when the configuration or the store file is a directory', async () => {
    await fs.mkdir(path.join(dir, 'conf.d'));
    const conf = await runImos(['--config', 'conf.d', 'status'], { cwd: dir });
    expect(conf.exitCode).toBe(EXIT.config);
    expect(conf.stderr).toContain(`this is a directory, not a configuration file (pass the file, such as ${path.join(dir, 'conf.d', 'imos.yaml')})`);

    await fs.writeFile(path.join(dir, 'imos.yaml'), CONFIG);
    await fs.mkdir(path.join(dir, 'data', 'imos.json'), { recursive: true });
    const store = await runImos(['status'], { cwd: dir });
    expect(store.exitCode).toBe(1);
    expect(store.stderr).toContain(`the store file ${path.join(dir, 'data', 'imos.json')} is a directory, not the store's file: move that directory away`);
  });
});
