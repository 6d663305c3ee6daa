// Files people write and imos reads whole into a parser (imos.yaml, the integration matrix): one
// far too large (a log pasted by mistake, a generator gone wrong) is refused before it is read,
// naming the file and the limit, instead of costing every command gigabytes of memory. A directory
// where the file should be is said in words too.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { formatBytes } from './text/values.js';
import { decodeUtf8 } from './text/utf8.js';

/** imos.yaml and the integration matrix: at most this many bytes (a 50,000-check configuration is about 8 MB). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
export const MAX_MATRIX_BYTES = 8 * 1024 * 1024;

/** A file over its limit (`code` EFBIG), or a directory where a file should be (EISDIR). */
export class TextFileError extends Error {
  constructor(
    readonly code: 'EFBIG' | 'EISDIR',
    message: string,
  ) {
    super(message);
    this.name = 'TextFileError';
  }
}

function tooLarge(size: number | null, limit: number): TextFileError {
  const what = size === null ? `larger than ${formatBytes(limit)}` : formatBytes(size);
  return new TextFileError('EFBIG', `the file is ${what}; imos reads at most ${formatBytes(limit)} (is it the right file?)`);
}

const isDirectory = () => new TextFileError('EISDIR', 'it is a directory, not a file');

/**
 * What both readers share: refuse a directory or a file over the limit by its size, then collect
 * chunks to the end, not to the size stat gave (a file may grow meanwhile, a pipe has no size).
 */
class BoundedText {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  constructor(
    private readonly limit: number,
    stat: fs.Stats,
  ) {
    if (stat.isDirectory()) throw isDirectory();
    if (stat.size > limit) throw tooLarge(stat.size, limit);
  }

  /** A buffer for the next read: never more than one byte past the limit. */
  nextBuffer(): Buffer {
    return Buffer.allocUnsafe(Math.min(this.limit + 1 - this.total, 1024 * 1024) || 1);
  }

  /** Keeps the `n` bytes read into `buffer`; false at the end of the file. */
  take(buffer: Buffer, n: number): boolean {
    if (n === 0) return false;
    this.total += n;
    if (this.total > this.limit) throw tooLarge(null, this.limit);
    this.chunks.push(buffer.subarray(0, n));
    return true;
  }

  text(): string {
    return decodeUtf8(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
  }
}

/** The file as UTF-8, at most `limit` bytes (TextFileError beyond, or for a directory); other errors as fs throws them. */
export function readTextFileSync(file: string, limit: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const text = new BoundedText(limit, fs.fstatSync(fd));
    for (let chunk = text.nextBuffer(); text.take(chunk, fs.readSync(fd, chunk, 0, chunk.length, null)); chunk = text.nextBuffer());
    return text.text();
  } finally {
    fs.closeSync(fd);
  }
}

/** readTextFileSync, without blocking. */
export async function readTextFile(file: string, limit: number): Promise<string> {
  const handle = await fsp.open(file, 'r');
  try {
    const text = new BoundedText(limit, await handle.stat());
    for (let chunk = text.nextBuffer(); text.take(chunk, (await handle.read(chunk, 0, chunk.length, null)).bytesRead); chunk = text.nextBuffer());
    return text.text();
  } finally {
    await handle.close();
  }
}
