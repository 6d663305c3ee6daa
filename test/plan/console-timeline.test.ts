// The console's timeline reads the phases the plan uses: the config's, else the matrix's phases
// table (as `imos matrix` does). With phases only in the matrix it said "no phases configured".
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { TimelinePane } from '../../views/panes/TimelinePane.js';
import { renderAt, type Rendered } from '../../views/testing/render.js';
import { loadPlanSummary } from '../../views/model/plan.js';
import { timelineRows } from '../../views/model/timeline.js';
import type { ConsoleData } from '../../views/model/data.js';
import { GATES_YAML, HOTEL_YAML, makeWorkspace, type Workspace } from './workspace.js';
import { loadFixture } from './fixture.js';
import { gateRows } from '../../views/model/gates.js';

let ws: Workspace | null = null;
let r: Rendered | null = null;
afterEach(async () => {
  await r?.unmount();
  r = null;
  await ws?.cleanup();
  ws = null;
});

describe('console timeline', () => {
  it('shows the matrix phases when the config has none, with their figures', async () => {
    const yaml = HOTEL_YAML.replace(/phases:\n(?: {2}- .*\n)+/, '');
    expect(yaml).not.toContain('phases:');
    ws = await makeWorkspace({ yaml });
    const now = ws.clock.now();
    const data = { core: await ws.store.read('core') } as unknown as Omit<ConsoleData, 'plan'>;
    const plan = await loadPlanSummary(ws.config, data, now);
    const rows = timelineRows(ws.config, plan, now);
    expect(rows.map((r) => [r.name, r.start, r.end, r.percent])).toEqual([
      ['Phase 1: unified database', '2025-01-20', '2025-01-31', 76],
      ['Phase 2: system connections', '2025-01-27', '2025-02-21', 0],
    ]);
    expect(rows.every((r) => r.status !== null && r.state === 'current')).toBe(true);
  });

  it('says why there is no forecast, as imos matrix does', async () => {
    ws = await makeWorkspace();
    const now = ws.clock.now();
    const plan = await loadPlanSummary(ws.config, { core: await ws.store.read('core') } as unknown as Omit<ConsoleData, 'plan'>, now);
    expect(plan?.forecast).toBeNull();
    r = await renderAt(createElement(TimelinePane, { width: 100, rows: 10, focused: true, phases: timelineRows(ws.config, plan, now), plan, status: '', selectedIndex: 0, gates: [] }), 100, 12);
    await r.waitFor('no forecast: 0 day(s) of completion snapshots, at least 3 needed');
  });

  it("shows the selected phase's quality gates: what moving it to done needs", async () => {
    ws = await makeWorkspace({ yaml: HOTEL_YAML + GATES_YAML });
    await loadFixture(ws.store, ws.config);
    const now = ws.clock.now();
    const gates = gateRows(ws.config, await ws.store.read('results'));
    expect(gates.map((g) => [g.id, g.status, g.reason])).toEqual([
      ['code-quality', 'fail', 'saas-typescript errors == 0 (was 162)'],
      ['connected', 'fail', 'reservation-sync lag < 5s (was 8.1)'],
    ]);
    const props = { width: 100, rows: 12, focused: true, phases: timelineRows(ws.config, null, now), plan: null, status: '', gates };
    r = await renderAt(createElement(TimelinePane, { ...props, selectedIndex: 1 }), 100, 12);
    await r.waitFor('Gates to close Phase 2: system connections:');
    const frame = r.frame();
    expect(frame).toMatch(/✖ TypeScript errors 0, coverage ≥ 80 %\s+saas-typescript errors == 0 \(was 162\)/);
    expect(frame).toMatch(/✖ every API connected, sync delay < 5 s\s+reservation-sync lag < 5s \(was 8\.1\)/);
    await r.unmount();
    // Phase 1 has no gates: nothing under its phases.
    r = await renderAt(createElement(TimelinePane, { ...props, selectedIndex: 0 }), 100, 12);
    await r.waitFor('Phase 1: unified database');
    expect(r.frame()).not.toContain('Gates to close');
  });
});

describe('the timeline tells one story', () => {
  it('the project line follows from the phases; a phase at 0 % done is drawn empty; a legend says what a bar is', async () => {
    ws = await makeWorkspace({ now: '2025-01-30T03:00:00Z' });
    const now = ws.clock.now();
    const plan = await loadPlanSummary(ws.config, { core: await ws.store.read('core') } as unknown as Omit<ConsoleData, 'plan'>, now);
    const phases = timelineRows(ws.config, plan, now);
    const statuses = phases.map((p) => p.status);
    expect(statuses).not.toContain('On Track');
    // The line above the phases is the worst of them, and says what it rests on.
    expect(plan!.status).not.toBe('On Track');
    expect(plan!.reason).toMatch(/^(\d of 2 phases|its phase is) (at risk|delayed) \(Phase \d: .*\) · \d+ % done overall$/);
    r = await renderAt(createElement(TimelinePane, { width: 100, rows: 12, focused: true, phases, plan, status: '', selectedIndex: 0 }), 100, 14);
    const f = await r.waitFor('Phase 2: system connections');
    expect(f).toContain('█ done  ▒ time gone, not done  ░ to come  │ today');
    const lines = f.split('\n');
    const bar = (name: string) => lines[lines.findIndex((l) => l.startsWith(name)) + 1]!;
    // Phase 2 is at 0 % done: time has gone by (▒), nothing is drawn done.
    expect(bar('Phase 2: system connections')).toContain('0% done');
    expect(bar('Phase 2: system connections')).not.toContain('█');
    expect(bar('Phase 2: system connections')).toContain('▒');
    // Phase 1 is 76 % done: its bar has done cells.
    expect(bar('Phase 1: unified database')).toContain('█');
  });
});
