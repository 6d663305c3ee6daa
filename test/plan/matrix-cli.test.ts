import { afterEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { showMatrix, setMatrixStatus } from '../../src/cli/commands/matrix.js';
import { CliError } from '../../src/cli/context.js';
import { makeWorkspace, type Workspace } from './workspace.js';

let ws: Workspace | null = null;
afterEach(async () => {
  await ws?.cleanup();
  ws = null;
});

describe('imos matrix', () => {
  it('prints the figures, ready tasks, critical path and timeline', async () => {
    ws = await makeWorkspace();
    expect(await showMatrix(ws.ctx(), false)).toBe(0);
    const text = ws.output.join('\n');
    expect(text).toContain('tables:  85% (11/13 tables)');
    expect(text).toContain('systems: 25% (1/4 systems)');
    expect(text).toContain('3 ready, 2 in progress, 5 blocked');
    expect(text).toContain('Phase 2: system connections: T3 → T4 → T7 → T10 → T12 = 13d');
    // 2025-01-29 09:30 in Tokyo: 9.4 of phase 1's 12 days gone; 13 of its 17 items and tasks done.
    expect(text).toMatch(/Phase 1: unified database\s+2025-01-20 → 2025-01-31\s+13\/17\s+On Track\s+76 % done at 78 % of the time/);
    expect(text).toContain('forecast: no forecast: 0 day(s) of completion snapshots, at least 3 needed');
  });

  it('prints JSON with the same figures', async () => {
    ws = await makeWorkspace();
    await showMatrix(ws.ctx(), true);
    const json = JSON.parse(ws.output.join('\n'));
    expect(json.tables).toMatchObject({ done: 11, total: 13, percent: 85, label: '85% (11/13 tables)' });
    expect(json.systems).toMatchObject({ done: 1, total: 4, percent: 25 });
    expect(json.ready.map((t: { id: string }) => t.id)).toEqual(['T6', 'T11', 'T8']);
    expect(json.phases).toHaveLength(2);
    expect(json.project.forecast.finish).toBeNull();
  });

  it('set: rewrites one cell, records an audit entry with the actor and a snapshot', async () => {
    ws = await makeWorkspace();
    const before = await fs.readFile(ws.matrixFile, 'utf8');
    expect(await setMatrixStatus(ws.ctx('sun'), 'order_items', 'done')).toBe(0);
    const after = await fs.readFile(ws.matrixFile, 'utf8');
    expect(after).not.toBe(before);
    expect(after.replace('| ✅ done        | sun     | Phase 1 | HIGH     | service_orders', '')).toBe(
      before.replace('| ⏳ todo        | sun     | Phase 1 | HIGH     | service_orders', ''),
    );
    const audit = await ws.store.readAudit();
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'sun', action: 'matrix-set', target: 'order_items', detail: expect.objectContaining({ from: 'todo', to: 'done' }) }),
    ]);
    const core = await ws.store.read('core');
    expect(core.snapshots).toEqual([expect.objectContaining({ tablesDone: 12, tablesTotal: 13, systemsDone: 1 })]);
    expect(ws.output.join('\n')).toContain('order_items: todo → done');
  });

  it('set: refuses an unknown status (usage) and an unknown item, writing nothing', async () => {
    ws = await makeWorkspace();
    const before = await fs.readFile(ws.matrixFile, 'utf8');
    await expect(setMatrixStatus(ws.ctx(), 'order_items', 'finished')).rejects.toMatchObject({ exitCode: 64 });
    const err = await setMatrixStatus(ws.ctx(), 'no_such_table', 'done').catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toContain('no task, table or system "no_such_table"');
    expect(await fs.readFile(ws.matrixFile, 'utf8')).toBe(before);
    expect(await ws.store.readAudit()).toEqual([]);
  });

  it('reports a broken matrix with file, line and column', async () => {
    ws = await makeWorkspace();
    const text = await fs.readFile(ws.matrixFile, 'utf8');
    await fs.writeFile(ws.matrixFile, text.replace('| T4  |', '| T4  |').replace('⏳ todo        | T3 ', '⏳ todo        | T99'));
    const err = await showMatrix(ws.ctx(), false).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toMatch(/Integration_Management_Matrix\.md:\d+:\d+: "T4" depends on "T99"/);
  });
});
