import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writePieces } from './context.js';

/** `count` pieces of 40,000 characters, counting how many were asked for. */
function pieces(count: number) {
  const made = { count: 0 };
  function* make() {
    for (let i = 0; i < count; i++) {
      made.count++;
      yield String(i % 10).repeat(40_000);
    }
  }
  return { made, make };
}

describe('writePieces', () => {
  it('writes every piece, in batches no larger than a piece of text-pieces, then one line break', () => {
    const written: string[] = [];
    const output = new Writable({ decodeStrings: false, write: (chunk: string, _e, done) => (written.push(chunk), done()) });
    const { make } = pieces(20);
    writePieces(make(), output);
    expect(written.join('')).toBe([...make()].join('') + '\n');
    expect(Math.max(...written.map((w) => w.length))).toBeLessThanOrEqual(32 * 1024);
    writePieces(['ends with one\n'], output);
    expect(written.at(-1)).toBe('ends with one\n');
  });

  it('stops making and writing pieces once a write failed (the reader went away), leaving the error to be reported', () => {
    let writes = 0;
    const output = new Writable({
      decodeStrings: false,
      write: (_chunk, _e, done) => (++writes >= 3 ? done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) : done()),
    });
    const errors: string[] = [];
    output.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? ''));
    const { made, make } = pieces(1000);
    writePieces(make(), output);
    // Not the 1,000 pieces (40 MB) made and queued behind the failed write.
    expect(made.count).toBeLessThan(5);
    expect(writes).toBe(3);
    expect(output.writableLength).toBe(0);
    return new Promise<void>((resolve) => setImmediate(() => (expect(errors).toEqual(['EPIPE']), resolve())));
  });
});
