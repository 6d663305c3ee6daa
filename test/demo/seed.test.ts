// The week the demo's store starts with: standups through the shared rules, and a climbing
// completion curve that ends at today's figures.
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { seedSnapshots, seedStandups } from '../../src/demo/seed.js';
import { findExampleDir } from '../../src/demo/workspace.js';
import { draftCore } from '../../src/store/testing/draft.js';
import { join } from 'node:path';

const config = loadConfigFile(join(findExampleDir(), 'imos.yaml'), { env: {} });
const NOW = Date.parse('2026-11-26T06:00:00Z'); // a Thursday

describe('demo seed', () => {
  it('writes five weekdays of standups for every system and two of today, with one blocker still open', () => {
    const core = draftCore();
    seedStandups(core, config, NOW);
    expect(core.standups).toHaveLength(5 * 4 + 2);
    const days = [...new Set(core.standups.map((s) => s.date))].sort();
    expect(days).toEqual(['2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']);
    for (const day of days) expect(new Date(`${day}T00:00:00Z`).getUTCDay()).not.toBe(0);
    const today = core.standups.filter((s) => s.date === '2026-11-26').map((s) => s.system);
    expect(today.sort()).toEqual(['hotel-common', 'hotel-member']);
    const open = core.standups.flatMap((s) => s.blockers).filter((b) => b.resolvedAt === null);
    // The saas blocker was carried from one day to the next (one id), the others resolved.
    expect([...new Set(open.map((b) => b.id))]).toHaveLength(1);
    expect(open[0]!.text).toContain('service_orders');
    expect(core.standups.find((s) => s.system === 'hotel-member' && s.date === '2026-11-20')!.blockers[0]!.resolvedAt).not.toBeNull();
  });

  it('climbs to the current figures over the past week', () => {
    const current = { tablesDone: 11, tablesTotal: 13, systemsDone: 1, systemsTotal: 4, tasksDone: 2, tasksTotal: 12 };
    const points = seedSnapshots(current, NOW);
    expect(points).toHaveLength(7);
    expect(points.map((p) => p.at)).toEqual([...points.map((p) => p.at)].sort());
    expect(Date.parse(points.at(-1)!.at)).toBeLessThan(NOW);
    for (let i = 1; i < points.length; i++) expect(points[i]!.tablesDone).toBeGreaterThanOrEqual(points[i - 1]!.tablesDone);
    expect(points[0]!.tablesDone).toBeLessThan(11);
    expect(points.at(-1)!.tablesDone).toBeLessThanOrEqual(11);
  });
});
