// Large texts of the store (a snapshot of 10,000 alerts, a journal line of 1,000 results) go to and
// from native memory a piece at a time, never as one buffer of their size. glibc's malloc serves a
// request above its threshold (128 KB at first) with a mapping of its own, and when one is freed it
// raises that threshold to its size (up to 32 MB) and lets every thread's arena keep twice as much
// free memory before giving any back: one checksum of an 8 MB snapshot text (zlib copies a string
// into three bytes a character) left V8's worker threads holding 3–30 MB each for the rest of the
// process's life, resident memory that came and went with the machine's load (README,
// Performance: "Memory"). Every native buffer made here stays below that first threshold.
import { StringDecoder } from 'node:string_decoder';
import { readSync } from 'node:fs';
import { decodeUtf8 } from '../text/utf8.js';
import { textPieces } from '../text/pieces.js';

/** Bytes read from a file at once. */
export const PIECE_BYTES = 64 * 1024;

/** Somewhere bytes can be written (a FileHandle). */
interface Writable {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
}

/**
 * Writes all of `text` as UTF-8 at `position`, a piece at a time; returns the bytes written. A
 * short write (a full disk) is written on or fails: it never ends in part of the text taken for
 * all of it.
 */
export async function writeTextAt(handle: Writable, text: string, position: number): Promise<number> {
  let written = 0;
  for (const piece of textPieces(text)) {
    const bytes = Buffer.from(piece, 'utf8');
    // Every turn writes at least one byte or throws: the loop ends.
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + written + done);
      if (bytesWritten === 0) throw new Error('the disk took no more bytes');
      done += bytesWritten;
    }
    written += bytes.length;
  }
  return written;
}

/** An open file (a FileHandle). */
interface Readable {
  readonly fd: number;
}

/**
 * The file's text from `start` to its end (not to a size stat gave) and the bytes read, a piece at a
 * time; `onBytes` sees each piece of bytes as read, in order. The pieces are read without leaving
 * the thread: read in the thread pool, each piece cost a round trip, 80 of them for a 5 MB
 * snapshot (about 20 ms of `imos status` on 10,000 checks), for bytes the page cache holds; the
 * parse that follows holds the thread far longer than the reads.
 */
export async function readText(handle: Readable, options: { start?: number; onBytes?: (bytes: Buffer) => void } = {}): Promise<{ text: string; size: number }> {
  const buffer = Buffer.allocUnsafe(PIECE_BYTES);
  // Decoded as Buffer#toString decodes (a byte-order mark kept, bad bytes as U+FFFD); a character
  // split between two pieces is held back until its last byte is read.
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  const start = options.start ?? 0;
  let at = start;
  for (;;) {
    const bytesRead = readSync(handle.fd, buffer, 0, buffer.length, at);
    if (bytesRead === 0) break;
    const piece = buffer.subarray(0, bytesRead);
    options.onBytes?.(piece);
    parts.push(decodeUtf8(piece, decoder));
    at += bytesRead;
  }
  parts.push(decoder.end());
  return { text: parts.join(''), size: at - start };
}
