// End-to-end: the console's first frames as a terminal receives them (the real built binary on a
// pseudo-terminal, script(1), every byte recorded). After the skeleton, the first frame Ink draws
// already has the store's figures: the launcher reads the store while Ink loads, so no frame says
// "0 CRIT" or "no matrix yet" before the first read.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stripAnsi from 'strip-ansi';
import { seedStore } from '../../src/store/testing/draft.js';
import { openStore } from '../../src/store/open.js';
import { alert } from '../../views/testing/fixtures.js';
import { HANG_MS } from '../helpers/bounds.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/imos.js');
const hasScript = spawnSync('script', ['--version']).status === 0;

let workspace = '';

/** The console's output on a 120×40 pseudo-terminal until `done` holds for it (then SIGTERM). */
async function recordConsole(done: (text: string) => boolean): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '120', LINES: '40', TERM: 'xterm-256color', TZ: 'UTC' };
  for (const key of Object.keys(env)) if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete env[key];
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} console --config imos.yaml --readonly`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: workspace, env });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let seen = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such frame within ${HANG_MS} ms:\n${stripAnsi(seen)}`)), HANG_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (done(stripAnsi(seen))) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    // script(1) passes the hangup on: the console restores the terminal and exits.
    child.kill('SIGTERM');
    await exited;
  }
  return stripAnsi(seen);
}

describe.skipIf(!hasScript)('the console’s first frame', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-first-frame-'));
    cpSync(path.join(ROOT, 'data/example'), workspace, { recursive: true });
    const store = await openStore(path.join(workspace, '.imos/imos.json'));
    await seedStore(store, {
      alerts: [alert('A1', 'CRITICAL', 'hotel-member', 'member-api: first frame', 60_000, { checkId: 'member-api', fingerprint: 'member-api:FIRST', type: 'FIRST' })],
    });
    await store.close();
  });

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('after the skeleton, the first frame drawn has the figures from the store and the matrix', async () => {
    const text = await recordConsole((t) => t.includes('Open alerts') && t.includes('Integration completion'));
    // The skeleton came first (the header alone: the project's name, starting).
    expect(text.indexOf('starting…')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('starting…')).toBeLessThan(text.indexOf('Integration completion'));
    // The first overview drawn: the matrix's completion and the open CRITICAL alert, not placeholders.
    const completion = /Integration completion\s+(.*)/.exec(text)![1]!;
    const alerts = /Open alerts\s+(.*)/.exec(text)![1]!;
    expect(completion).toMatch(/^\d+% \(\d+\/\d+ tables\)/);
    expect(completion).not.toContain('no matrix yet');
    expect(alerts).toMatch(/1 CRIT/);
  });
});
