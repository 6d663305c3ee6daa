// Atomic writes of the JSON store's files: the text lands whole (given whole or in pieces), or the
// old file stays and no temp file is left behind.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canMount, mountDisk, type Disk } from '../../test/helpers/disk.js';
import { readFileHead, writeFileAtomic } from './atomic-file.js';
import { StoreError } from './types.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-atomic-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const tempFiles = async (where: string) => (await fs.readdir(where)).filter((name) => name.endsWith('.tmp'));

/** About 1.3 MB of text in 20,000 pieces, multi-byte characters among them: several batches. */
function* pieces(): Generator<string> {
  for (let i = 0; i < 20_000; i++) yield `{"id":"c${i}","note":"ünïcode “${i}” 東京 😀"},\n`;
}

describe('writeFileAtomic', () => {
  it('writes a text given whole or in pieces byte for byte, says how many bytes, and leaves no temp file', async () => {
    const file = path.join(dir, 'snapshot.json');
    expect(await writeFileAtomic(file, 'first ✓\n')).toBe(Buffer.byteLength('first ✓\n'));
    expect(await fs.readFile(file, 'utf8')).toBe('first ✓\n');
    const whole = [...pieces()].join('');
    expect(await writeFileAtomic(file, pieces())).toBe(Buffer.byteLength(whole));
    expect(await fs.readFile(file, 'utf8')).toBe(whole);
    expect((await readFileHead(file, 12))!).toEqual({ text: whole.slice(0, 12), size: Buffer.byteLength(whole) });
    expect(await writeFileAtomic(file, [])).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toBe('');
    expect(await tempFiles(dir)).toEqual([]);
  });

  it('keeps the old file when the write is abandoned before the rename or its pieces fail', async () => {
    const file = path.join(dir, 'snapshot.json');
    await writeFileAtomic(file, 'old\n');
    const refuse = () => {
      throw new StoreError('the lock was lost', file);
    };
    await expect(writeFileAtomic(file, pieces(), { beforeCommit: refuse })).rejects.toThrow('the lock was lost');
    function* failing(): Generator<string> {
      yield* pieces();
      throw new Error('a record could not be serialised');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow(`cannot write ${file}: a record could not be serialised`);
    expect(await fs.readFile(file, 'utf8')).toBe('old\n');
    expect(await tempFiles(dir)).toEqual([]);
  });
});

describe.skipIf(!canMount())('writeFileAtomic on a full disk', () => {
  let disk: Disk;
  beforeEach(() => {
    disk = mountDisk(512);
  });
  afterEach(() => disk.remove());

  it('fails naming the file, keeps the old one and leaves no temp file', async () => {
    const file = path.join(disk.dir, 'snapshot.json');
    await writeFileAtomic(file, 'old\n');
    await expect(writeFileAtomic(file, pieces())).rejects.toThrow(new RegExp(`cannot write ${file}: .*(ENOSPC|no space)`, 'i'));
    expect(await fs.readFile(file, 'utf8')).toBe('old\n');
    expect(await tempFiles(disk.dir)).toEqual([]);
  });
});
