import { describe, expect, it } from 'vitest';
import { calculateLayout, listWindow, paneBoxes, scrollWindow, shareByNeed, shareByPriority, visibleWindow, MIN_COLUMNS, MIN_ROWS } from './layout.js';

describe('calculateLayout', () => {
  it('shows one pane with a tab strip at 80×24, one row shorter than the terminal', () => {
    const l = calculateLayout(80, 24);
    expect(l.kind).toBe('single');
    if (l.kind === 'too-small') throw new Error('unreachable');
    expect(l.height).toBe(23);
    expect(l.paneWidth).toBe(80);
    // 23 - header/status/footer (3) - tab strip (1) = 19 rows of pane; minus border+title = 16.
    expect(l.paneHeight).toBe(19);
    expect(l.listRows).toBe(16);
  });

  it('shows the 2×2 grid on a large terminal', () => {
    const l = calculateLayout(160, 48);
    expect(l.kind).toBe('grid');
    if (l.kind === 'too-small') throw new Error('unreachable');
    expect(l.paneWidth).toBe(80);
    expect(l.paneHeight).toBe(22);
    expect(l.listRows).toBe(19);
    expect(l.paneHeight * 2).toBeLessThanOrEqual(l.bodyHeight);
  });

  it('uses the grid from 120×32 and the single pane just below', () => {
    expect(calculateLayout(120, 40).kind).toBe('grid');
    expect(calculateLayout(119, 40).kind).toBe('single');
    expect(calculateLayout(160, 31).kind).toBe('single');
  });

  it('lays out any number of panes two to a row, when each still gets its rows', () => {
    const five = calculateLayout(160, 48, 5);
    if (five.kind !== 'grid') throw new Error(`expected a grid, got ${five.kind}`);
    expect(five.paneHeight).toBe(14);
    expect(five.paneHeight * 3).toBeLessThanOrEqual(five.bodyHeight);
    expect(calculateLayout(160, 40, 5).kind).toBe('single');
    expect(calculateLayout(120, 18, 2).kind).toBe('grid');
    expect(calculateLayout(120, 17, 2).kind).toBe('single');
  });

  it('says the terminal is too small below the minimum, naming the size it needs', () => {
    const l = calculateLayout(MIN_COLUMNS - 1, 30);
    expect(l).toEqual({ kind: 'too-small', columns: 59, rows: 30, need: { columns: MIN_COLUMNS, rows: MIN_ROWS } });
    expect(calculateLayout(100, MIN_ROWS - 1).kind).toBe('too-small');
    expect(calculateLayout(MIN_COLUMNS, MIN_ROWS).kind).toBe('single');
    expect(calculateLayout(0, 0).kind).toBe('too-small');
    expect(calculateLayout(Number.NaN, 24).kind).toBe('too-small');
  });
});

describe('visibleWindow', () => {
  it('renders everything when it fits', () => {
    expect(visibleWindow(5, 3, 10)).toEqual({ start: 0, end: 5 });
  });
  it('scrolls so that the selection stays visible', () => {
    expect(visibleWindow(100, 0, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleWindow(100, 15, 10, 0)).toEqual({ start: 6, end: 16 });
    expect(visibleWindow(100, 8, 10, 6)).toEqual({ start: 6, end: 16 });
    expect(visibleWindow(100, 3, 10, 6)).toEqual({ start: 3, end: 13 });
    expect(visibleWindow(100, 99, 10, 0)).toEqual({ start: 90, end: 100 });
  });
});

describe('sharing rows', () => {
  it('listWindow: a list that fits has no position line; one that does not gives a row to where it is', () => {
    expect(listWindow(5, 0, 5)).toEqual({ start: 0, end: 5, position: null });
    expect(listWindow(40, 0, 10)).toEqual({ start: 0, end: 9, position: '1–9 of 40 · +31 more ↓' });
    expect(listWindow(40, 39, 10)).toEqual({ start: 31, end: 40, position: '32–40 of 40 · ↑31' });
    // One row: the selected row only, no second row for the position.
    expect(listWindow(11, 0, 1)).toEqual({ start: 0, end: 1, position: null });
    expect(listWindow(11, 5, 1, 0)).toEqual({ start: 5, end: 6, position: null });
    expect(listWindow(40, 20, 10, 15)).toEqual({ start: 15, end: 24, position: '16–24 of 40 · ↑15 · +16 more ↓' });
  });

  it('scrollWindow: the scroll stops where the last line is at the bottom', () => {
    expect(scrollWindow(5, 3, 10)).toEqual({ start: 0, end: 5, max: 0, position: null });
    expect(scrollWindow(30, 100, 10)).toEqual({ start: 21, end: 30, max: 21, position: '22–30 of 30 · ↑21' });
  });

  it('shareByPriority: minimums first, then the first part up to its want, then the next', () => {
    expect(shareByPriority(13, [{ min: 3, want: 7 }, { min: 3, want: 5 }, { min: 1, want: 10 }])).toEqual([7, 5, 1]);
    expect(shareByPriority(13, [{ min: 3, want: 40 }, { min: 3, want: 5 }, { min: 1, want: 10 }])).toEqual([9, 3, 1]);
    // Too little room: the last parts give up their minimum first.
    expect(shareByPriority(4, [{ min: 3, want: 40 }, { min: 3, want: 5 }, { min: 1, want: 10 }])).toEqual([3, 1, 0]);
  });

  it('shareByNeed: a part that wants less than an equal share leaves the rest to the others', () => {
    expect(shareByNeed(44, [{ min: 6, want: 8 }, { min: 6, want: 60 }])).toEqual([8, 36]);
    expect(shareByNeed(44, [{ min: 6, want: 60 }, { min: 6, want: 60 }])).toEqual([22, 22]);
    // Nobody wants it all: what is left goes round, and the column is filled.
    expect(shareByNeed(44, [{ min: 6, want: 10 }, { min: 6, want: 12 }]).reduce((a, b) => a + b)).toBe(44);
  });

  it('paneBoxes: the grid alternates panes between two columns, each filling the body; a zoomed pane has it all', () => {
    const l = calculateLayout(160, 48);
    if (l.kind === 'too-small') throw new Error('unreachable');
    const boxes = paneBoxes(l, [12, 5, 6, 40], 3, false);
    expect(boxes[0]!.height + boxes[2]!.height).toBe(l.bodyHeight);
    expect(boxes[1]!.height + boxes[3]!.height).toBe(l.bodyHeight);
    expect(boxes[1]!.height).toBe(8);
    expect(paneBoxes(l, [12, 5, 6, 40], 3, true)[3]).toEqual({ width: 160, height: l.bodyHeight });
  });
});
