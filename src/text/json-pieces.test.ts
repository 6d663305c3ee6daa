import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonPieces } from './json-pieces.js';

const joined = (value: unknown, depth?: number) => [...jsonPieces(value, depth)].join('');

describe('jsonPieces', () => {
  it('joins to exactly JSON.stringify(value, null, 2) at every depth, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (value, depth) => {
        expect(joined(value, depth)).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 400 },
    );
  });

  it('leaves out and writes as null what JSON has no text for, and writes toJSON values as JSON.stringify does', () => {
    const at = new Date(Date.UTC(2026, 11, 5, 3, 0, 0));
    const value = {
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 2, 1, at, Number.NaN, Number.POSITIVE_INFINITY, [], {}],
      nested: { gone: undefined, deeper: { when: at, text: 'line\nbreak' } },
      onlyGone: { gone: undefined },
      withToJSON: { toJSON: () => ({ replaced: true }) },
      noProto: Object.assign(Object.create(null) as object, { a: [1, { b: 2 }] }),
      last: undefined,
    };
    for (let depth = 0; depth <= 5; depth++) expect(joined(value, depth)).toBe(JSON.stringify(value, null, 2));
  });

  it('gives nothing where JSON.stringify gives undefined, and primitives whole', () => {
    expect([...jsonPieces(undefined)]).toEqual([]);
    expect(joined('text')).toBe('"text"');
    expect(joined(null)).toBe('null');
  });

  it('is in pieces no larger than one member below its depth (a report of many checks is never one string)', () => {
    const report = { project: 'p', systems: Array.from({ length: 50 }, (_, s) => ({ id: `s${s}`, checks: Array.from({ length: 20 }, (_, c) => ({ id: `c${c}`, message: 'x'.repeat(100) })) })) };
    const pieces = [...jsonPieces(report, 3)];
    const whole = JSON.stringify(report, null, 2);
    expect(pieces.join('')).toBe(whole);
    // One system's checks (20 × ~150 characters) at most, not the whole report.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole.length / 20);
  });
});
