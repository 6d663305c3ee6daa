// The demo's directory is removed at its stop even while another imos on its workspace (a second
// console taking a lock or writing the lease) adds files to it: a removal that met a file made
// after it had emptied a directory (ENOTEMPTY) once ended `imos demo` with exit 1 and left it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDemoDir } from '../../src/demo/world.js';
import { HANG_MS } from '../helpers/bounds.js';

const dirs: string[] = [];
const writers: Promise<void>[] = [];
afterEach(async () => {
  // A test that failed early: its writer is let finish first, or it would fill what is removed.
  await Promise.all(writers.splice(0));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Another process adds a file to `dir` as fast as it can for `ms`, never making `dir` again once it
// is gone (as a console that has seen its workspace go makes nothing again). It says "writing"
// once it has begun.
const WRITER = `
const fs = require('fs'), path = require('path');
const [dir, ms] = [process.argv[1], Number(process.argv[2])];
const until = Date.now() + ms;
let n = 0;
for (let i = 0; i < 1e7 && Date.now() < until; i++) {
  try { fs.writeFileSync(path.join(dir, 'lock-' + i), ''); n++; } catch {}
  if (n === 1) process.stdout.write('writing\\n');
}
`;

function startWriter(dir: string, ms: number): { begun: Promise<void>; ended: Promise<void> } {
  const child = spawn(process.execPath, ['-e', WRITER, dir, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const begun = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error('the writer ended before it wrote')));
  });
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  writers.push(ended);
  return { begun, ended };
}

describe('removing the demo directory', () => {
  it('succeeds while another process adds files to it, and leaves nothing', async () => {
    // Several rounds: each time the removal meets the writer at another point.
    for (let round = 0; round < 5; round++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'imos-demo-remove-'));
      dirs.push(dir);
      const store = path.join(dir, 'workspace', '.imos');
      mkdirSync(store, { recursive: true });
      for (let i = 0; i < 200; i++) writeFileSync(path.join(store, `history-${i}.json`), '{}');
      const writer = startWriter(store, 300);
      await writer.begun;
      expect(await removeDemoDir(dir), `round ${round}`).toBeNull();
      await writer.ended;
      expect(existsSync(dir), `round ${round}`).toBe(false);
    }
  }, HANG_MS);

  it('gives the error back, not throwing, when the directory cannot be removed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imos-demo-remove-'));
    dirs.push(dir);
    // A path through a file: no directory there can be removed.
    writeFileSync(path.join(dir, 'file'), '');
    const error = await removeDemoDir(path.join(dir, 'file', 'demo'));
    expect(error?.message).toMatch(/ENOTDIR/);
  });
});
