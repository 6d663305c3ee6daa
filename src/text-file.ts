// Files people write and imos reads whole into a parser (imos.yaml, the integration matrix): one
// far too large (a log pasted by mistake, a generator gone wrong) is refused before it is read,
// naming the file and the limit, instead of costing every command gigabytes of memory. A directory
// where the file should be is said in words too.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { formatBytes } from './text/values.js';

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

/** The file as UTF-8, at most `limit` bytes (TextFileError beyond, or for a directory); other errors as fs throws them. */
export function readTextFileSync(file: string, limit: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw isDirectory();
    if (stat.size > limit) throw tooLarge(stat.size, limit);
    // Read to the end, not to the size stat gave: a file may grow meanwhile, a pipe has no size.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(limit + 1 - total, 1024 * 1024) || 1);
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(null, limit);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** readTextFileSync, without blocking. */
export async function readTextFile(file: string, limit: number): Promise<string> {
  const handle = await fsp.open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw isDirectory();
    if (stat.size > limit) throw tooLarge(stat.size, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(limit + 1 - total, 1024 * 1024) || 1);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(null, limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
