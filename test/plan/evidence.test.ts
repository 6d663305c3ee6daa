import { afterEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { applyTableEvidence } from '../../src/plan/evidence.js';
import { readMatrixFile } from '../../src/plan/matrix-file.js';
import { matrixFigures } from '../../src/plan/figures.js';
import { GATES_YAML, HOTEL_YAML, makeWorkspace, type Workspace } from './workspace.js';
import { loadFixture } from './fixture.js';
import { setMatrixStatus } from '../../src/cli/commands/matrix.js';

let ws: Workspace | null = null;
afterEach(async () => {
  await ws?.cleanup();
  ws = null;
});

describe('matrix updates by evidence (tables check)', () => {
  it('does nothing unless plan.auto_update is on', async () => {
    ws = await makeWorkspace();
    const before = await fs.readFile(ws.matrixFile, 'utf8');
    expect(await applyTableEvidence(ws.config, ws.store, ['public.service_orders'], ws.clock.now())).toEqual([]);
    expect(await fs.readFile(ws.matrixFile, 'utf8')).toBe(before);
  });

  it('marks present tables done, audited, with a snapshot', async () => {
    ws = await makeWorkspace({ yaml: HOTEL_YAML + 'plan:\n  auto_update: true\n' });
    const changed = await applyTableEvidence(ws.config, ws.store, ['public.customers', 'public.service_orders', 'order_items'], ws.clock.now(), 'unified-tables');
    expect(changed).toEqual(['service_orders', 'order_items']);
    const { matrix } = await readMatrixFile(ws.matrixFile);
    expect(matrixFigures(matrix).tables.label).toBe('100% (13/13 tables)');
    expect((await ws.store.readAudit()).map((a) => [a.actor, a.action, a.target, a.note])).toEqual([
      ['imos', 'matrix-set', 'service_orders', 'table present (check unified-tables)'],
      ['imos', 'matrix-set', 'order_items', 'table present (check unified-tables)'],
    ]);
    expect((await ws.store.read('core')).snapshots).toEqual([expect.objectContaining({ tablesDone: 13 })]);
  });

  it('never completes a phase whose quality gates do not pass: that item waits for a person', async () => {
    // Phase 1 lacks only its two tables once T3 and T4 are done; its gate fails on the fixture's results.
    const gated = GATES_YAML.replaceAll('phase: Phase 2', 'phase: Phase 1');
    ws = await makeWorkspace({ yaml: HOTEL_YAML + gated + 'plan:\n  auto_update: true\n' });
    await loadFixture(ws.store, ws.config);
    for (const task of ['T3', 'T4']) await setMatrixStatus(ws.ctx(), task, 'done');
    const changed = await applyTableEvidence(ws.config, ws.store, ['public.service_orders', 'public.order_items'], ws.clock.now(), 'unified-tables');
    expect(changed).toEqual(['service_orders']); // order_items would close Phase 1
    const { matrix } = await readMatrixFile(ws.matrixFile);
    expect(matrix.items.find((i) => i.id === 'order_items')?.status).toBe('todo');
  });
});
