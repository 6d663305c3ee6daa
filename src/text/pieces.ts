// Large texts (a store snapshot, a report of 10,000 checks) handled a piece at a time, never as
// one native buffer of their size: why, in src/store/text-pieces.ts.

/** Characters of text handled at once: at most 96 KB as UTF-8 (three bytes a character at most). */
export const PIECE_CHARS = 32 * 1024;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** `text` in consecutive pieces of at most `chars` characters, never splitting a surrogate pair. */
export function* textPieces(text: string, chars = PIECE_CHARS): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + chars);
    // Either half of a pair alone would be encoded as U+FFFD.
    if (end < text.length && end - at > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    yield text.slice(at, end);
    at = end;
  }
}

/**
 * A text given whole, in pieces of at most PIECE_CHARS; one given in pieces (a record each, a
 * member of a report), joined into batches of about that size.
 */
export function* textBatches(text: string | Iterable<string>): Generator<string> {
  if (typeof text === 'string') return yield* textPieces(text);
  let batch = '';
  for (const piece of text) {
    batch += piece;
    if (batch.length < PIECE_CHARS) continue;
    yield* textPieces(batch);
    batch = '';
  }
  if (batch) yield* textPieces(batch);
}
