// The checksum that closes every snapshot and journal line imos writes: `"crc32": N` as the last
// member, N the CRC-32 of the text before it (up to and including `"crc32":`). A text whose
// checksum matches holds records exactly as an imos put them, each validated as it entered the
// store (tx.ts): readers take them without checking every record again (10,000 check records cost
// more to check than to parse). A file edited by hand, written by another program or by an older
// imos has no matching checksum, and its records are checked one by one, as before.
import { crc32 } from 'node:zlib';
import { textPieces } from '../text/pieces.js';

const KEY = '"crc32":';
const TAIL = /^\s*(\d+)\s*\}\s*$/;

/** `json` (an object's JSON text, compact or indented by two spaces) with the checksum as its last member. */
export function seal(json: string): string {
  const close = json.lastIndexOf('}');
  const body = json.slice(0, close).trimEnd();
  if (body === '{') throw new Error('an empty object is never stored');
  const indented = json.charCodeAt(close - 1) === 0x0a;
  const head = `${body},${indented ? '\n  ' : ''}${KEY}`;
  return `${head}${indented ? ' ' : ''}${crc32Text(head)}${indented ? '\n' : ''}}`;
}

/**
 * The CRC-32 of `text`'s UTF-8 bytes, continuing from `sum`, summed a piece at a time: zlib copies
 * a string it sums into native memory, three bytes a character, and one copy of a whole snapshot
 * raised malloc's thresholds for good (text-pieces.ts).
 */
export function crc32Text(text: string, sum = 0): number {
  for (const piece of textPieces(text)) sum = crc32(piece, sum);
  return sum;
}

/** Whether `text` (a snapshot, or one journal line; as read, bytes or text) ends in the checksum of what precedes it. */
export function isSealed(text: string | Buffer): boolean {
  const at = text.lastIndexOf(KEY);
  if (at === -1) return false;
  const end = at + KEY.length;
  // Bytes are summed as they are: a journal line need not be turned into text twice.
  const tail = TAIL.exec(typeof text === 'string' ? text.slice(end) : text.toString('latin1', end));
  return tail !== null && (typeof text === 'string' ? crc32Text(text.slice(0, end)) : crc32(text.subarray(0, end))) === Number(tail[1]);
}

/** Bytes kept from the end of what was read: the checksum's key and number, and room around them. */
const TAIL_BYTES = 256;

/**
 * isSealed over bytes that come a piece at a time (a snapshot read in pieces, text-pieces.ts): all
 * but the last TAIL_BYTES are summed as they come, nothing is held whole or encoded again. A
 * checksum followed by more than that (spaces added by hand) counts as none: the records are then
 * checked one by one.
 */
export class SealCheck {
  private sum = 0;
  private tail = Buffer.alloc(0);

  update(bytes: Buffer): void {
    if (bytes.length >= TAIL_BYTES) {
      this.sum = crc32(bytes.subarray(0, bytes.length - TAIL_BYTES), crc32(this.tail, this.sum));
      // A copy: the reader fills its buffer again.
      this.tail = Buffer.from(bytes.subarray(bytes.length - TAIL_BYTES));
      return;
    }
    const all = Buffer.concat([this.tail, bytes]);
    const cut = Math.max(0, all.length - TAIL_BYTES);
    this.sum = crc32(all.subarray(0, cut), this.sum);
    this.tail = all.subarray(cut);
  }

  /** Whether the bytes so far end in the checksum of what precedes it. */
  sealed(): boolean {
    const at = this.tail.lastIndexOf(KEY);
    if (at === -1) return false;
    const end = at + KEY.length;
    const tail = TAIL.exec(this.tail.toString('latin1', end));
    return tail !== null && crc32(this.tail.subarray(0, end), this.sum) === Number(tail[1]);
  }
}
