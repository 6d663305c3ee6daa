// Texts cut into pieces and joined into batches (pieces.ts): joined again, they are the text, and
// no piece is longer than PIECE_CHARS or splits a character in two.
import { describe, expect, it } from 'vitest';
import { PIECE_CHARS, textBatches, textPieces } from './pieces.js';

/** Several pieces long, with a pair of surrogates (😀) across the first piece's end. */
const longText = () => 'a'.repeat(PIECE_CHARS - 1) + '😀' + '東京 ✓ — 😀 plain '.repeat(PIECE_CHARS / 4) + 'end';

describe('texts in pieces', () => {
  it('pieces make the whole text, none longer than a piece, and never split a pair of surrogates', () => {
    const text = longText();
    const pieces = [...textPieces(text)];
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(PIECE_CHARS);
      expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece); // no half of a pair alone
    }
    expect([...textPieces('')]).toEqual([]);
  });


  it('batches join small pieces up to about a piece and cut long ones, in order', () => {
    const small = Array.from({ length: 5_000 }, (_, i) => `{"id":"c-${i}"},`);
    const batches = [...textBatches(small)];
    expect(batches.join('')).toBe(small.join(''));
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(PIECE_CHARS);
    const text = longText();
    expect([...textBatches(text)].join('')).toBe(text);
    expect([...textBatches([text, 'tail'])].join('')).toBe(text + 'tail');
    expect([...textBatches([])]).toEqual([]);
  });
});
