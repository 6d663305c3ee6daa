import { describe, expect, it } from 'vitest';
import { table } from './format.js';

describe('table', () => {
  it('pads every column but the last to its widest cell, sanitised and measured in terminal cells', () => {
    const long = 'x'.repeat(450);
    const text = table(
      ['  ', 'CHECK', 'MESSAGE'],
      [
        ['  ✓', 'api-1', '200 OK in 5 ms'],
        ['  ✖', 'db-東京', 'down\x1b[31m red\x1b[0m  twice'],
        ['  ○', 'x', ''],
        ['  ✓', 'api-2', long],
      ],
    );
    expect(text.split('\n')).toEqual([
      '    CHECK    MESSAGE',
      '✓   api-1    200 OK in 5 ms',
      '✖   db-東京  down red twice',
      '○   x',
      `✓   api-2    ${'x'.repeat(399)}…`,
    ]);
  });

  it('keeps a row longer than the header as it is, and a short row short', () => {
    expect(table(['A', 'B'], [['1', '2', '3'], ['long cell']]).split('\n')).toEqual(['A          B', '1          2  3', 'long cell']);
  });
});
