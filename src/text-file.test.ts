// Both readers: a file read whole, a directory and a file over the limit refused in words, and a
// pipe (no size to stat) refused once more than the limit has come through it.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTextFile, readTextFileSync, TextFileError } from './text-file.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-text-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const readers = {
  sync: async (file: string, limit: number) => readTextFileSync(file, limit),
  async: readTextFile,
};

describe.each(Object.entries(readers))('%s reader', (_name, read) => {
  it('reads a file whole', async () => {
    const file = path.join(dir, 'big.txt');
    const text = 'é'.repeat(1_500_000); // 3 MB of two-byte characters
    fs.writeFileSync(file, text);
    expect(await read(file, 4 * 1024 * 1024)).toBe(text);
  });

  it('reads a pipe whole, across several chunks (it has no size to read into at once)', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const text = `a${'é'.repeat(700_000)}`; // 1.4 MB of two-byte characters, one split at each 1 MB chunk's end
    // Written by another process: the sync reader holds this one's event loop while it reads.
    const writer = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(fifo)}, 'a' + 'é'.repeat(700000))`], { stdio: 'ignore' });
    try {
      expect(await read(fifo, 4 * 1024 * 1024)).toBe(text);
    } finally {
      writer.kill();
    }
  });

  it('refuses a file over the limit and a directory, saying which', async () => {
    const file = path.join(dir, 'over.txt');
    fs.writeFileSync(file, 'x'.repeat(101));
    await expect(read(file, 100)).rejects.toMatchObject({ code: 'EFBIG', message: expect.stringMatching(/the file is 101 B.*at most 100 B/) });
    await expect(read(dir, 100)).rejects.toBeInstanceOf(TextFileError);
    await expect(read(dir, 100)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('refuses a pipe once more than the limit came through it', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A writer that would go on far past the limit; it ends when the reader closes the pipe.
    const writer = spawn('sh', ['-c', `yes 0123456789 | head -c 1000000 > '${fifo}'`], { stdio: 'ignore' });
    try {
      await expect(read(fifo, 64 * 1024)).rejects.toMatchObject({ code: 'EFBIG', message: expect.stringMatching(/larger than/) });
    } finally {
      writer.kill();
    }
  });
});
