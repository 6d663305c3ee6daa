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
});
