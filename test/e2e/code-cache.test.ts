// End-to-end: the built binary's code cache (src/cli/code-cache.ts) is an optimisation only. The
// console starts, draws its full frame, runs and quits the same with no cache directory yet, with
// its own cache, with a damaged cache and where no cache can be written; a bad configuration still
// gets its clear error. A console that quits stores the cache it had none of.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANG_MS } from '../helpers/bounds.js';
import { consoleEnv, hasTmux, IMOS_BIN, imosCommand, Tmux } from '../helpers/tmux.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`imos-code-cache-${process.pid}`);
let workspace = '';
let session = 0;

/** Start a read-only console with IMOS_CACHE_DIR=`cacheDir`, wait for its full frame and Ink's keys, quit. */
async function consoleRun(cacheDir: string): Promise<void> {
  const name = `c${session++}`;
  tmux.start(name, workspace, `${consoleEnv({ IMOS_CACHE_DIR: cacheDir })} ${imosCommand()} --config imos.yaml --readonly`);
  const screen = await tmux.waitFor(name, (s) => /Integration completion\s+\d+%/.test(s) && /q quit\s*$/.test(s));
  expect(screen).toMatch(/Checks passing\s+\d+\/\d+/);
  // Ink runs (the late part of the build, loaded after the frame): the help screen opens.
  tmux.keys(name, '?');
  await tmux.waitFor(name, 'Command line');
  tmux.keys(name, '?');
  await tmux.waitFor(name, (s) => !s.includes('Command line') && s.includes('Integration completion'));
  tmux.keys(name, 'q');
  await tmux.waitFor(name, 'EXITED-0');
}

const consoleCaches = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => /^core-.*-console-.*\.v8$/.test(n)) : []);

/** A cache file as written: a header line, the SHA-256 of the data, the data. */
function intact(file: string): boolean {
  const bytes = readFileSync(file);
  const start = bytes.indexOf(0x0a) + 1;
  return createHash('sha256').update(bytes.subarray(start + 32)).digest().equals(bytes.subarray(start, start + 32));
}

describe.skipIf(!hasTmux)('the code cache of the built binary', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-code-cache-e2e-'));
    cpSync(path.join(ROOT, 'data/example'), workspace, { recursive: true, filter: (from) => !from.includes(`${path.sep}.imos`) });
  });

  afterAll(() => {
    tmux.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('the console runs with no cache directory, stores its cache on quitting, then runs from it', async () => {
    const cacheDir = path.join(workspace, 'no-such-dir', 'cache');
    await consoleRun(cacheDir);
    const [name] = consoleCaches(cacheDir);
    expect(name).toBeDefined();
    const file = path.join(cacheDir, name!);
    expect(intact(file)).toBe(true);
    const stored = readFileSync(file);
    await consoleRun(cacheDir);
    // Used, not written again.
    expect(readFileSync(file).equals(stored)).toBe(true);
  });

  it('the console runs with a damaged cache, and replaces it with an intact one', async () => {
    const cacheDir = path.join(workspace, 'damaged');
    await consoleRun(cacheDir);
    const file = path.join(cacheDir, consoleCaches(cacheDir)[0]!);
    const bytes = readFileSync(file);
    for (let at = 200; at < bytes.length; at += 997) bytes[at] ^= 0x5a;
    writeFileSync(file, bytes);
    await consoleRun(cacheDir);
    expect(intact(file)).toBe(true);
  });

  it('the console runs where no cache can be stored (a file in place of the directory)', async () => {
    const cacheDir = path.join(workspace, 'not-a-directory');
    writeFileSync(cacheDir, 'x');
    await consoleRun(cacheDir);
    expect(readFileSync(cacheDir, 'utf8')).toBe('x');
  });

  it('a bad configuration still gets its clear error with a cache in place, and the terminal back', async () => {
    const cacheDir = path.join(workspace, 'bad-config');
    await consoleRun(cacheDir);
    writeFileSync(path.join(workspace, 'broken.yaml'), 'project: Hotel\nsystems: [\n');
    const name = 'bad';
    tmux.start(name, workspace, `${consoleEnv({ IMOS_CACHE_DIR: cacheDir })} ${imosCommand()} --config broken.yaml`);
    const screen = await tmux.waitFor(name, /EXITED-\d+/);
    expect(screen).toContain('EXITED-78');
    expect(screen).toMatch(/broken\.yaml:\d+:\d+/);
    // The normal screen: the shell's own lines are there, not the console's.
    expect(screen).not.toContain('starting…');
    // A one-shot command with the same cache directory and a damaged cache of its own still answers.
    const cli = (): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, [IMOS_BIN, 'validate', '--config', 'imos.yaml'], { cwd: workspace, env: { ...process.env, IMOS_CACHE_DIR: cacheDir }, encoding: 'utf8', timeout: HANG_MS });
    expect(cli().status).toBe(0);
    const cliCache = readdirSync(cacheDir).find((n) => /-cli-.*\.v8$/.test(n))!;
    writeFileSync(path.join(cacheDir, cliCache), 'imos-v8-cache/1\nnot a cache');
    const again = cli();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('valid');
  });
});
