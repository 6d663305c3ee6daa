import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedStore } from '../store/testing/draft.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { makeAlert } from '../../test/helpers/alerts.js';
import { alertsWithArchive, archiveResolvedAlerts } from './archive.js';
import { loadConfigText } from '../config/load.js';
import { buildReport } from '../reports/build.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the alert archive', () => {
  it('moves resolved alerts past the retention out of the hot store, and readers still find them', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-archive-'));
    store = await openStore(path.join(dir, 'imos.json'));
    await seedStore(store, {
      alerts: [
        makeAlert({ id: 'A1', state: 'resolved', openedAt: iso(NOW - 40 * DAY), resolvedAt: iso(NOW - 39 * DAY) }),
        makeAlert({ id: 'A2', state: 'resolved', openedAt: iso(NOW - 10 * DAY), resolvedAt: iso(NOW - 9 * DAY) }),
        makeAlert({ id: 'A3', state: 'open', openedAt: iso(NOW - 50 * DAY) }),
      ],
    });

    expect(await archiveResolvedAlerts(store, 30 * DAY, NOW)).toBe(1);
    expect((await store.read('core')).alerts.map((a) => a.id)).toEqual(['A2', 'A3']);
    expect(await archiveResolvedAlerts(store, 30 * DAY, NOW)).toBe(0); // nothing twice

    const core = await store.read('core');
    const all = await alertsWithArchive(store, core);
    expect(all.map((a) => [a.id, a.state])).toEqual([
      ['A1', 'resolved'],
      ['A2', 'resolved'],
      ['A3', 'open'],
    ]);
    expect(all[0]!.resolvedAt).toBe(iso(NOW - 39 * DAY));
  });

  it('an alert found in both the hot store and the archive counts once, from the hot store', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-archive-'));
    store = await openStore(path.join(dir, 'imos.json'));
    const alert = makeAlert({ id: 'A7', state: 'resolved', resolvedAt: iso(NOW - 31 * DAY), message: 'hot copy' });
    await seedStore(store, {
      alerts: [alert],
      audit: [{ at: iso(NOW), actor: 'imos', action: 'archive', target: 'A7', detail: { alert: { ...alert, message: 'archived copy' } } }],
    });
    const all = await alertsWithArchive(store, await store.read('core'));
    expect(all.map((a) => a.message)).toEqual(['hot copy']);
  });

  it('a daily report for a past day still lists an alert that has since been archived', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-archive-'));
    store = await openStore(path.join(dir, 'imos.json'));
    const config = loadConfigText('project: P\nsystems: { hotel-member: { name: M } }\n', path.join(dir, 'imos.yaml'), { env: {} });
    const opened = Date.parse('2026-01-20T03:00:00Z');
    await seedStore(store, {
      alerts: [makeAlert({ id: 'A9', state: 'resolved', openedAt: iso(opened), lastSeenAt: iso(opened), resolvedAt: iso(opened + 3_600_000), resolvedBy: 'imos' })],
    });
    await archiveResolvedAlerts(store, 30 * DAY, NOW);
    expect((await store.read('core')).alerts).toHaveLength(0);
    const built = await buildReport('daily', config, store, '2026-01-20', NOW);
    const report = built.report as { alerts: { opened: Array<{ id: string }> } };
    expect(report.alerts.opened.map((a) => a.id)).toEqual(['A9']);
  });
});
