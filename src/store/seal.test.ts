import { describe, expect, it } from 'vitest';
import { isSealed, seal } from './seal.js';

describe('the checksum closing what imos writes', () => {
  it('closes compact and indented JSON, which stays the same data with crc32 added', () => {
    const data = { seq: 3, put: { alerts: [{ id: 'A1', message: 'the text "crc32": 5 } — 東京 ✓' }] } };
    for (const text of [seal(JSON.stringify(data)), seal(JSON.stringify(data, null, 2)) + '\n']) {
      expect(isSealed(text)).toBe(true);
      expect(isSealed(Buffer.from(text))).toBe(true);
      expect(JSON.parse(text)).toEqual({ ...data, crc32: expect.any(Number) });
    }
    expect(seal(JSON.stringify(data, null, 2))).toMatch(/\n {2}"crc32": \d+\n\}$/);
  });

  it('a text edited after it was written, cut short, or never closed is not sealed', () => {
    const text = seal(JSON.stringify({ seq: 1, put: { alerts: [{ id: 'A1', state: 'open' }] } }));
    expect(isSealed(text.replace('"open"', '"shut"'))).toBe(false);
    expect(isSealed(Buffer.from(text.replace('"open"', '"shut"')))).toBe(false);
    expect(isSealed(text.slice(0, -3))).toBe(false);
    expect(isSealed(JSON.stringify({ seq: 1 }))).toBe(false);
    // A record's own crc32 member is not the line's checksum.
    expect(isSealed(JSON.stringify({ seq: 1, put: { kv: [{ key: 'k', value: { crc32: 1 } }] } }))).toBe(false);
  });
});
