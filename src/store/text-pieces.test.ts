// Texts go to and from files a piece at a time (text-pieces.ts): what is read, written and summed
// must be what the whole text would give, characters of several bytes across piece ends included.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32Text, isSealed, seal, SealCheck } from './seal.js';
import { PIECE_CHARS } from '../text/pieces.js';
import { PIECE_BYTES, readText, writeTextAt } from './text-pieces.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-pieces-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Several pieces long, with a pair of surrogates (😀) across the first piece's end. */
const longText = () => 'a'.repeat(PIECE_CHARS - 1) + '😀' + '東京 ✓ — 😀 plain '.repeat(PIECE_CHARS / 4) + 'end';

describe('texts a piece at a time', () => {
  it('the checksum of a long text is the checksum of its UTF-8 bytes, as a sealed line or snapshot needs', () => {
    const text = longText();
    expect(crc32Text(text)).toBe(crc32(Buffer.from(text, 'utf8')));
    expect(crc32Text(text.slice(7), crc32Text(text.slice(0, 7)))).toBe(crc32(Buffer.from(text, 'utf8')));
    const line = seal(JSON.stringify({ seq: 1, put: { alerts: [{ id: 'A1', message: text }] } }));
    expect(isSealed(line)).toBe(true);
    expect(isSealed(Buffer.from(line, 'utf8'))).toBe(true);
    expect(isSealed(line.replace('end', 'END'))).toBe(false);
  });

  it('a sealed text summed as its bytes come, in pieces of any size, is sealed; an edited one is not', () => {
    const text = seal(JSON.stringify({ seq: 1, put: { alerts: [{ id: 'A1', message: longText() }] } }, null, 2)) + '\n';
    const bytes = Buffer.from(text, 'utf8');
    const checked = (from: Buffer, size: number) => {
      const check = new SealCheck();
      for (let at = 0; at < from.length; at += size) check.update(from.subarray(at, at + size));
      return check.sealed();
    };
    for (const size of [1, 100, 255, 256, 300, PIECE_BYTES, bytes.length]) expect(checked(bytes, size)).toBe(true);
    expect(checked(Buffer.from(text.replace('end', 'END'), 'utf8'), PIECE_BYTES)).toBe(false);
    expect(checked(Buffer.from(text.slice(0, -10), 'utf8'), PIECE_BYTES)).toBe(false);
    expect(new SealCheck().sealed()).toBe(false);
  });

  it('a text written a piece at a time reads back whole, from the start or from an offset, with a character across a read piece’s end', async () => {
    // The 3-byte 東 straddles the end of the first piece read.
    const text = 'x'.repeat(PIECE_BYTES - 1) + '東' + longText();
    const file = path.join(dir, 'text');
    const handle = await fs.open(file, 'w+');
    try {
      expect(await writeTextAt(handle, text, 0)).toBe(Buffer.byteLength(text));
      expect(await fs.readFile(file, 'utf8')).toBe(text);
      const seen: Buffer[] = [];
      expect(await readText(handle, { onBytes: (bytes) => seen.push(Buffer.from(bytes)) })).toEqual({ text, size: Buffer.byteLength(text) });
      expect(Buffer.concat(seen).equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect((await readText(handle, { start: PIECE_BYTES - 1 })).text).toBe(text.slice(PIECE_BYTES - 1));
      // At a position: the bytes there are replaced, the rest of the file stays.
      expect(await writeTextAt(handle, 'yy', 2)).toBe(2);
      expect((await readText(handle)).text.slice(0, 5)).toBe('xxyyx');
      // Bytes that are not UTF-8 read as Buffer#toString reads them, in an ASCII piece or not.
      await handle.truncate(0);
      const bad = Buffer.concat([Buffer.from('a'.repeat(PIECE_BYTES - 1)), Buffer.from([0xe6]), Buffer.from('b'.repeat(PIECE_BYTES)), Buffer.from([0xff, 0x41])]);
      await handle.write(bad, 0, bad.length, 0);
      expect((await readText(handle)).text).toBe(bad.toString('utf8'));
    } finally {
      await handle.close();
    }
  });

  it('a short write is written on from where it stopped, and a write that takes nothing fails instead of being taken for all of it', async () => {
    const text = 'ab東' + longText();
    const bytes = Buffer.from(text, 'utf8');
    const disk = Buffer.alloc(bytes.length + 3);
    // A disk that takes at most 7 bytes a call.
    const short = { write: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
      const n = Math.min(7, length);
      disk.set(buffer.subarray(offset, offset + n), position);
      return { bytesWritten: n };
    } };
    expect(await writeTextAt(short, text, 3)).toBe(bytes.length);
    expect(disk.subarray(3).equals(bytes)).toBe(true);
    const full = { write: async () => ({ bytesWritten: 0 }) };
    await expect(writeTextAt(full, text, 0)).rejects.toThrow('the disk took no more bytes');
  });
});
