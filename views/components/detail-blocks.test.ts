import { describe, expect, it } from 'vitest';
import { detailBlockLines } from './detail-blocks.js';

describe('detailBlockLines', () => {
  it('draws a table with a header, figures right-aligned, and the last column wrapped under itself', () => {
    const lines = detailBlockLines(
      [
        {
          kind: 'table',
          title: 'codes',
          columns: ['code', 'count', 'example'],
          rows: [
            ['TS2322', '12', 'Type string is not assignable to type number'],
            ['TS2345', '1', 'Argument of type string is not assignable to parameter of type RoomNumber'],
          ],
        },
      ],
      40,
    ).map((l) => l.text);
    expect(lines[0]).toBe('codes (2)');
    expect(lines[1]).toBe('code    count  example');
    expect(lines[2]).toBe('TS2322     12  Type string is not');
    expect(lines[3]).toBe('               assignable to type number');
    expect(lines.slice(4).join(' ').replace(/\s+/g, ' ')).toBe('TS2345 1 Argument of type string is not assignable to parameter of type RoomNumber');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });

  it('draws fields with their labels aligned and lists of names as bullets', () => {
    const lines = detailBlockLines(
      [
        { kind: 'fields', rows: [['errors', '4'], ['tsconfig', 'tsconfig.json']] },
        { kind: 'list', title: 'pending', items: ['20250128_add_loyalty', '20250129_room_types'] },
      ],
      60,
    ).map((l) => l.text);
    expect(lines).toEqual(['errors    4', 'tsconfig  tsconfig.json', '', 'pending (2)', '• 20250128_add_loyalty', '• 20250129_room_types']);
  });
});
