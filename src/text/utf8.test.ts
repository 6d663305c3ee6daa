import { StringDecoder } from 'node:string_decoder';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from './utf8.js';

describe('decoding bytes read from a file', () => {
  it('reads ASCII, text beyond it, a byte-order mark and malformed bytes exactly as UTF-8 is read', () => {
    const samples = [
      Buffer.from('{"id":"api-1","message":"200 OK in 12 ms"}\n'),
      Buffer.from('Tōkyō — 東京 ✓ 🚨'),
      Buffer.from('\uFEFFproject: Demo\n'),
      Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.alloc(0),
    ];
    for (const bytes of samples) expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
    expect(decodeUtf8(Buffer.from([0x61, 0xff]))).toBe('a\uFFFD');
  });

  it('reads a text a piece at a time as it reads it whole, whichever byte a piece ends at', () => {
    const samples = [
      Buffer.from('ab Tōkyō — 東京 🚨 ok\n'),
      Buffer.from('\uFEFF{"at":"12:00"}'),
      // A character cut short and ASCII after it: U+FFFD, then the ASCII, as read whole.
      Buffer.from([0x61, 0xe2, 0x82, 0x62, 0x63, 0xf0, 0x9f, 0x9a, 0xa8, 0x64, 0xc3]),
    ];
    for (const bytes of samples) {
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          const decoder = new StringDecoder('utf8');
          const pieces = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
          const text = pieces.map((piece) => decodeUtf8(piece, decoder)).join('') + decoder.end();
          expect(text, `pieces end at ${i} and ${j}`).toBe(bytes.toString('utf8'));
        }
      }
    }
  });
});
