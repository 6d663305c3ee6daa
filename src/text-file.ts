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
 * What both readers share: refuse a directory or a file over the limit by its size, then read to
 * the end, not to the size stat gave (a file may grow meanwhile, a pipe has no size). A file is
 * read into one buffer of its size and a byte more (the byte finds a file that grew): a 10,000-check
 * configuration was read in 1 MB pieces and then copied whole into one buffer.
 */
class BoundedText {
  private readonly chunks: Buffer[] = [];
  private current: Buffer;
  private used = 0;
  private total = 0;

  constructor(
    private readonly limit: number,
    stat: fs.Stats,
  ) {
    if (stat.isDirectory()) throw isDirectory();
    if (stat.size > limit) throw tooLarge(stat.size, limit);
    this.current = Buffer.allocUnsafe(stat.size + 1);
  }

  /** Where the next read goes: the rest of the buffer, or a new one (never more than one byte past the limit). */
  nextBuffer(): Buffer {
    if (this.used === this.current.length) {
      this.chunks.push(this.current);
      this.current = Buffer.allocUnsafe(Math.min(this.limit + 1 - this.total, 1024 * 1024) || 1);
      this.used = 0;
    }
    return this.current.subarray(this.used);
  }

  /** Keeps the `n` bytes just read into nextBuffer()'s buffer; false at the end of the file. */
  take(n: number): boolean {
    if (n === 0) return false;
    this.total += n;
    if (this.total > this.limit) throw tooLarge(null, this.limit);
    this.used += n;
    return true;
  }

  text(): string {
    const last = this.current.subarray(0, this.used);
    return decodeUtf8(this.chunks.length === 0 ? last : Buffer.concat([...this.chunks, last]));
  }
}

/** The file as UTF-8, at most `limit` bytes (TextFileError beyond, or for a directory); other errors as fs throws them. */
export function readTextFileSync(file: string, limit: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const text = new BoundedText(limit, fs.fstatSync(fd));
    for (let chunk = text.nextBuffer(); text.take(fs.readSync(fd, chunk, 0, chunk.length, null)); chunk = text.nextBuffer());
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
    for (let chunk = text.nextBuffer(); text.take((await handle.read(chunk, 0, chunk.length, null)).bytesRead); chunk = text.nextBuffer());
    return text.text();
  } finally {
    await handle.close();
  }
}
