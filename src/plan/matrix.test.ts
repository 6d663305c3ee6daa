import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMatrix } from './matrix-parse.js';
import { matrixFigures } from './figures.js';
import { MatrixConflictError, readMatrixFile, replaceStatusInText, setItemStatus } from './matrix-file.js';
import { findTables, splitLines } from './markdown-tables.js';
import { ITEM_STATUSES, formatIssue, type Matrix } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXAMPLE = path.resolve(here, '../../data/example/Integration_Management_Matrix.md');

function parseOk(text: string): Matrix {
  const r = parseMatrix(text, 'm.md');
  if (!r.ok) throw new Error(r.errors.map(formatIssue).join('\n'));
  return r.matrix;
}
function parseErrors(text: string): string[] {
  const r = parseMatrix(text, 'm.md');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map(formatIssue);
}

const TASKS = (rows: string): string =>
  `# Plan\n\n| ID | Task | Priority | Status | Depends on | Estimate |\n|---|---|---|---|---|---|\n${rows}`;

describe('the example matrix (the hotel project)', () => {
  it('reproduces the overview figures of the example', async () => {
    const { matrix } = await readMatrixFile(EXAMPLE);
    const f = matrixFigures(matrix);
    expect(f.tables.label).toBe('85% (11/13 tables)');
    expect(f.systems.label).toBe('25% (1/4 systems)');
    expect(matrix.phases.map((p) => p.name)).toEqual(['Phase 1: unified database', 'Phase 2: system connections']);
    expect(f.ready.map((t) => t.id)).toEqual(['T6', 'T11', 'T8']);
    expect(f.inProgress.map((t) => t.id)).toEqual(['T5', 'T3']);
    expect(f.blocked.map((t) => t.id).sort()).toEqual(['T10', 'T12', 'T4', 'T7', 'T9']);
    expect(matrix.tasks.find((t) => t.id === 'T9')!.title).toBe('フロント業務との整合性確認');
  });

  it('computes the critical path to each phase end from the estimates', async () => {
    const { matrix } = await readMatrixFile(EXAMPLE);
    const f = matrixFigures(matrix);
    const phase2 = f.criticalPaths.find((p) => p.phase?.startsWith('Phase 2'))!;
    // T3 (2d) → T4 (1d) → T7 (5d) → T10 (2d) → T12 (3d)
    expect(phase2.steps).toEqual(['T3', 'T4', 'T7', 'T10', 'T12']);
    expect(phase2.days).toBe(13);
    const phase1 = f.criticalPaths.find((p) => p.phase?.startsWith('Phase 1'))!;
    expect(phase1.steps).toEqual(['T3', 'T4']);
    expect(phase1.days).toBe(3);
  });
});

describe('parsing', () => {
  it('reads marks, words and Japanese statuses, and ignores unrelated tables and fenced code', () => {
    const m = parseOk(
      [
        '| Table | Status |',
        '|---|---|',
        '| a | ✅ |',
        '| b | 完了 |',
        '| c | 進行中 |',
        '| d | 🚫 waiting for DBA |',
        '| e | In Progress |',
        '',
        '| Name | Colour |',
        '|---|---|',
        '| x | red |',
        '',
        '```',
        '| Table | Status |',
        '|---|---|',
        '| zz | nonsense |',
        '```',
      ].join('\n'),
    );
    expect(m.items.map((i) => [i.id, i.status])).toEqual([
      ['a', 'done'],
      ['b', 'done'],
      ['c', 'in-progress'],
      ['d', 'blocked'],
      ['e', 'in-progress'],
    ]);
  });

  it('names the line and column of an unknown status and what was expected', () => {
    const errors = parseErrors('intro\n\n| Table | Status |\n|---|---|\n| a | ✅ |\n| b | maybe |\n');
    expect(errors).toEqual([
      'm.md:6:7: unknown status "maybe" for "b": expected done / in progress / todo / blocked, or ✅ 🔄 ⏳ 🚫',
    ]);
  });

  it('reports a dependency on a task that does not exist, at the depends-on cell', () => {
    const errors = parseErrors(TASKS('| T1 | one | HIGH | todo | T9 | 1d |\n'));
    expect(errors).toEqual([
      'm.md:5:28: "T1" depends on "T9", which is not a task, table or system in the matrix',
    ]);
  });

  it('names a dependency cycle step by step', () => {
    const errors = parseErrors(
      TASKS('| T1 | one | HIGH | todo | T3 | 1d |\n| T2 | two | HIGH | todo | T1 | 1d |\n| T3 | three | LOW | todo | T2 | 1d |\n'),
    );
    expect(errors).toEqual(['m.md:5:1: dependency cycle: T1 (line 5) → T3 (line 7) → T2 (line 6) → T1 (line 5)']);
  });

  it('rejects unknown priorities, bad estimates, bad dates and duplicate ids', () => {
    const errors = parseErrors(
      '| ID | Task | Priority | Status | Estimate | Due |\n|---|---|---|---|---|---|\n' +
        '| T1 | a | URGENT | todo | soon | 2025-13-01 |\n| T1 | b | LOW | todo | 1d | - |\n',
    );
    expect(errors.join('\n')).toContain('m.md:3:12: unknown priority "URGENT" for "T1": expected CRITICAL / HIGH / MEDIUM / LOW');
    expect(errors.join('\n')).toContain('estimate "soon" for "T1" is not a duration');
    expect(errors.join('\n')).toContain('due "2025-13-01" for "T1" is not a date');
    expect(errors.join('\n')).toContain('m.md:4:1: duplicate id "T1" (first used on line 3)');
  });

  it('names an id a phase lists that is not in the matrix', () => {
    const errors = parseErrors(
      '| Table | Status |\n|---|---|\n| rooms | todo |\n\n| Phase | Start | End | Items |\n|---|---|---|---|\n' +
        '| Phase 1 | 2025-01-20 | 2025-01-31 | rooms, T9 |\n',
    );
    expect(errors).toEqual(['m.md:7:39: phase "Phase 1" lists "T9", which is not a task, table or system in the matrix']);
  });

  it('strips terminal control sequences from cell text', () => {
    const m = parseOk('| Table | Status | Notes |\n|---|---|---|\n| a | done | \u001b]0;pwned\u0007hi\u001b[31mred |\n');
    expect(m.items[0]!.notes).toBe('hired');
  });

  it('keeps CRLF line endings apart from content', () => {
    const m = parseOk('| Table | Status |\r\n|---|---|\r\n| a | todo |\r\n');
    expect(m.items[0]!.statusCell.text).toBe('todo');
    expect(splitLines('a\r\nb\nc').map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('accepts escaped pipes and pipes in code spans inside cells', () => {
    const tables = findTables('| A | B |\n|---|---|\n| x \\| y | `a|b` |\n');
    expect(tables[0]!.rows[0]!.cells.map((c) => c.text)).toEqual(['x | y', '`a|b`']);
  });
});

describe('write-back', () => {
  it('changes only the status cell, keeping its width and the mark style', async () => {
    const text = await fs.readFile(EXAMPLE, 'utf8');
    const { text: next, change } = replaceStatusInText(text, EXAMPLE, 'order_items', 'done');
    expect(change).toMatchObject({ from: 'todo', to: 'done', before: '⏳ todo', after: '✅ done', changed: true });
    const before = text.split('\n');
    const after = next.split('\n');
    const changed = before.map((l, i) => (l === after[i] ? -1 : i)).filter((i) => i >= 0);
    expect(changed).toHaveLength(1);
    expect(after[changed[0]!]).toBe(before[changed[0]!]!.replace('⏳ todo       ', '✅ done       '));
    const figures = matrixFigures(parseOk(next));
    expect(figures.tables.label).toBe('92% (12/13 tables)');
  });

  it('writes Japanese where the cell was Japanese and words where it had no mark', () => {
    const text = '| Table | Status |\n|---|---|\n| a | 未着手 |\n| b | todo |\n';
    const once = replaceStatusInText(text, 'm.md', 'a', 'done').text;
    const twice = replaceStatusInText(once, 'm.md', 'b', 'in-progress').text;
    expect(twice).toBe('| Table | Status |\n|---|---|\n| a | 完了   |\n| b | in progress |\n');
  });

  it('property: only the target cell changes, whatever the statuses and line endings', () => {
    const names = ['customers', 'rooms', 'orders', 'guests', 'menus'];
    const statusWords = ['✅ done', '🔄 in progress', '⏳ todo', '🚫 blocked', 'done', 'todo', '完了', '進行中', '✅'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...statusWords), { minLength: names.length, maxLength: names.length }),
        fc.constantFrom('\n', '\r\n'),
        fc.nat({ max: names.length - 1 }),
        fc.constantFrom(...ITEM_STATUSES),
        fc.string({ maxLength: 40 }),
        (statuses, eol, target, status, prose) => {
          const safeProse = prose.replace(/[|\r\n`~]/g, ' ');
          const lines = [
            `# Matrix ${safeProse}`,
            '',
            '| Table | Status | Notes |',
            '|-------|--------|-------|',
            ...names.map((n, i) => `| ${n} | ${statuses[i]} | 備考 ${i} |`),
            '',
            safeProse,
          ];
          const text = lines.join(eol);
          const { text: next } = replaceStatusInText(text, 'm.md', names[target]!, status);
          const a = text.split(eol);
          const b = next.split(eol);
          expect(b).toHaveLength(a.length);
          for (let i = 0; i < a.length; i++) {
            if (i !== 4 + target) expect(b[i]).toBe(a[i]);
          }
          const cellsA = a[4 + target]!.split('|');
          const cellsB = b[4 + target]!.split('|');
          expect(cellsB).toHaveLength(cellsA.length);
          cellsA.forEach((c, k) => {
            if (k !== 2) expect(cellsB[k]).toBe(c);
          });
          const reparsed = parseOk(next);
          expect(reparsed.items[target]!.status).toBe(status);
          reparsed.items.forEach((item, k) => {
            if (k !== target) expect(item.statusCell.text).toBe(statuses[k]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the file atomically and refuses when it changed on disk since it was read', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-matrix-'));
    const file = path.join(dir, 'Integration_Management_Matrix.md');
    await fs.copyFile(EXAMPLE, file);
    const loaded = await readMatrixFile(file);
    // Someone edits the file by hand meanwhile.
    const edited = loaded.text.replace('## Notes', '## Notes\n\n- edited by hand');
    await fs.writeFile(file, edited);
    await expect(setItemStatus(file, 'order_items', 'done', { expectHash: loaded.hash })).rejects.toBeInstanceOf(
      MatrixConflictError,
    );
    expect(await fs.readFile(file, 'utf8')).toBe(edited);
    // Based on a fresh read it goes through, and nothing else is lost.
    const fresh = await readMatrixFile(file);
    const change = await setItemStatus(file, 'order_items', 'done', { expectHash: fresh.hash });
    expect(change.changed).toBe(true);
    const now = await fs.readFile(file, 'utf8');
    expect(now).toContain('- edited by hand');
    expect(now.length).toBe(edited.length);
    expect((await fs.readdir(dir)).sort()).toEqual(['Integration_Management_Matrix.md']);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('several writers at once take turns: every change lands, none is refused', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-matrix-'));
    const file = path.join(dir, 'Integration_Management_Matrix.md');
    await fs.copyFile(EXAMPLE, file);
    const ids = ['T4', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12'];
    const changes = await Promise.all(ids.map((id) => setItemStatus(file, id, 'blocked')));
    expect(changes.every((c) => c.changed)).toBe(true);
    const { matrix } = await readMatrixFile(file);
    expect(ids.map((id) => matrix.tasks.find((t) => t.id === id)?.status)).toEqual(ids.map(() => 'blocked'));
    expect((await fs.readdir(dir)).sort()).toEqual(['Integration_Management_Matrix.md']);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes through a symlinked matrix to the real file, and keeps the link', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-matrix-'));
    await fs.mkdir(path.join(dir, 'docs'));
    const real = path.join(dir, 'docs', 'Integration_Management_Matrix.md');
    const link = path.join(dir, 'Integration_Management_Matrix.md');
    await fs.copyFile(EXAMPLE, real);
    await fs.symlink(path.join('docs', 'Integration_Management_Matrix.md'), link);
    const before = await fs.readFile(real, 'utf8');
    const change = await setItemStatus(link, 'order_items', 'done');
    expect(change.changed).toBe(true);
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    const after = await fs.readFile(real, 'utf8');
    expect(after).not.toBe(before);
    expect((await readMatrixFile(link)).matrix.items.find((i) => i.id === 'order_items')?.status).toBe('done');
    expect((await fs.readdir(path.join(dir, 'docs'))).sort()).toEqual(['Integration_Management_Matrix.md']);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names the file for an unknown item', () => {
    expect(() => replaceStatusInText('| Table | Status |\n|---|---|\n| a | todo |\n', 'm.md', 'zz', 'done')).toThrow(
      'm.md: no task, table or system "zz" in the matrix',
    );
  });
});
