import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageCheck } from '../../checks/coverage.js';
import { checkContext } from '../../checks/shared/testing.js';
import { hotelConfig, hotelCore, hotelResults } from '../testing/fixtures.js';
import { filterRows } from './filter.js';
import { detailBlocks, sortSystemRows, systemRows } from './systems.js';

describe('systems rows', () => {
  it('derives one row per system, worst first, with checks passing and the worst open alert', () => {
    const rows = systemRows(hotelConfig(), hotelResults(), hotelCore().alerts);
    expect(rows.map((r) => [r.id, r.status, `${r.passing}/${r.total}`, r.worstAlert?.id ?? null])).toEqual([
      ['hotel-common', 'CRITICAL', '1/3', 'A2'],
      ['hotel-member', 'HIGH', '0/1', 'A4'],
      ['hotel-pms', 'HIGH', '0/1', 'A1'],
      ['hotel-saas', 'MEDIUM', '1/3', 'A3'],
    ]);
    expect(rows[0]!.leader).toBe('Integration manager');
    expect(filterRows(rows, 'LUNA').map((r) => r.id)).toEqual(['hotel-pms']);
    // The checks that do not pass, worst first, with what they last said.
    expect(rows[0]!.failing).toEqual([
      { id: 'pending-migrations', name: 'pending-migrations', status: 'CRITICAL', message: '2 pending migrations' },
      { id: 'unified-tables', name: 'unified-tables', status: 'HIGH', message: '2 of 13 tables missing' },
    ]);
    expect(rows.find((r) => r.id === 'hotel-saas')!.failing.map((c) => c.id)).toEqual(['saas-typescript']);
  });

  it('a failing check says what its newest stored result says, sanitised, however often the results are re-read', () => {
    const config = hotelConfig();
    const results = hotelResults();
    const state = results.checks['pending-migrations']!;
    const withLast = (message: string) => ({
      ...results,
      checks: { ...results.checks, 'pending-migrations': { ...state, last: Object.freeze({ ...state.last!, message }) } },
    });
    const failing = (r: typeof results) => systemRows(config, r, []).find((row) => row.id === 'hotel-common')!.failing[0]!.message;
    const first = withLast('3 pending \u001b[31mmigrations');
    expect(failing(first)).toBe('3 pending migrations');
    expect(failing({ ...first })).toBe('3 pending migrations');
    expect(failing(withLast('4 pending migrations'))).toBe('4 pending migrations');
  });

  it('turns check detail into fields, lists of names and small tables', () => {
    expect(detailBlocks({ missing: ['a', 'b'] })).toEqual([{ kind: 'list', title: 'missing', items: ['a', 'b'] }]);
    expect(detailBlocks({ byFile: { 'src/x.ts': 3 } })).toEqual([{ kind: 'table', title: 'by file', columns: ['name', 'value'], rows: [['src/x.ts', '3']] }]);
    expect(detailBlocks(['x\u001b[2Jy'])).toEqual([{ kind: 'list', title: '', items: ['xy'] }]);
    // The TypeScript check's detail: figures as fields, errors per file and the codes as tables.
    const ts = detailBlocks({
      errors: 4,
      files: 2,
      byFile: [
        { file: 'src/orders.ts', errors: 3 },
        { file: 'src/api.ts', errors: 1 },
      ],
      codes: [{ code: 'TS2322', count: 2, example: 'Type string is not assignable' }],
      pending: [],
      tsc: '/x/tsc',
    });
    expect(ts[0]).toEqual({ kind: 'fields', rows: [['errors', '4'], ['files', '2'], ['tsc', '/x/tsc']] });
    expect(ts[1]).toEqual({ kind: 'table', title: 'by file', columns: ['file', 'errors'], rows: [['src/orders.ts', '3'], ['src/api.ts', '1']] });
    expect(ts[2]).toEqual({ kind: 'table', title: 'codes', columns: ['code', 'count', 'example'], rows: [['TS2322', '2', 'Type string is not assignable']] });
    expect(ts).toHaveLength(3);
    // Tables that lack columns: the column lists joined.
    expect(detailBlocks({ missingColumns: [{ table: 'public.x', columns: ['a', 'b'] }] })[0]).toEqual({
      kind: 'table',
      title: 'missing columns',
      columns: ['table', 'columns'],
      rows: [['public.x', 'a, b']],
    });
  });

  it('sorts by status (worst first), by system, by leader, and reversed', () => {
    const rows = systemRows(hotelConfig(), hotelResults(), hotelCore().alerts);
    expect(sortSystemRows(rows, 'status', false)).toBe(rows);
    expect(sortSystemRows(rows, 'system', false).map((r) => r.id)).toEqual(['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']);
    expect(sortSystemRows(rows, 'system', true).map((r) => r.id)).toEqual(['hotel-saas', 'hotel-pms', 'hotel-member', 'hotel-common']);
    expect(sortSystemRows(rows, 'status', true).map((r) => r.id)[0]).toBe('hotel-saas');
    expect(sortSystemRows(rows, 'leader', false).map((r) => r.leader)).toEqual([...rows.map((r) => r.leader)].sort((a, b) => a.localeCompare(b)));
  });
});

describe('a coverage check in the detail view', () => {
  it('shows the report as fields, the totals and the least covered files as tables', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imos-coverage-detail-'));
    try {
      const lcov = ['SF:src/a.js', 'FNF:2', 'FNH:1', 'BRF:4', 'BRH:1', 'LF:10', 'LH:4', 'end_of_record', 'SF:src/b.js', 'FNF:1', 'FNH:1', 'BRF:0', 'BRH:0', 'LF:5', 'LH:5', 'end_of_record', ''];
      writeFileSync(path.join(dir, 'lcov.info'), lcov.join('\n'));
      const outcome = await coverageCheck.run(coverageCheck.schema.parse({ report: 'lcov.info', cwd: '.' }), checkContext({ baseDir: dir }));
      const blocks = detailBlocks(outcome.detail);
      expect(blocks[0]).toMatchObject({ kind: 'fields', rows: expect.arrayContaining([['format', 'lcov']]) });
      expect(blocks).toContainEqual({
        kind: 'table',
        title: 'totals',
        columns: ['name', 'value'],
        rows: [
          ['lines', '60 % (9/15)'],
          ['branches', '25 % (1/4)'],
          ['functions', '66.7 % (2/3)'],
          ['statements', 'n/a (not in lcov)'],
        ],
      });
      expect(blocks).toContainEqual({
        kind: 'table',
        title: 'lowest',
        columns: ['file', 'lines', 'branches', 'functions'],
        rows: [
          ['src/a.js', '40 %', '25 %', '50 %'],
          ['src/b.js', '100 %', '100 %', '100 %'],
        ],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
