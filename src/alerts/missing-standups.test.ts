import { seedStore } from '../store/testing/draft.js';
import type { Alert } from '../model.js';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../config/load.js';
import { MemoryStore } from '../store/memory-store.js';
import { processTime } from './index.js';

const config = loadConfigText(
  `project: P
timezone: Asia/Tokyo
people: { luna: { name: Luna } }
systems:
  hotel-pms: { name: PMS, leader: luna }
  hotel-saas: { name: SaaS }
plan: { standup: { due: "10:00" } }
`,
  '/tmp/imos.yaml',
  { env: {} },
);

// Monday 2026-01-05 in Tokyo (UTC+9).
const at = (hhmm: string) => Date.parse(`2026-01-05T${hhmm}:00+09:00`);

describe('missing standups', () => {
  it('flags each system without a standup after the due time, and resolves once it is entered', async () => {
    const store = new MemoryStore();
    expect(await processTime(store, config, at('09:59'), { openBlockers: null })).toEqual([]);
    await processTime(store, config, at('10:01'), { openBlockers: null });
    let alerts: readonly Alert[] = (await store.read('core')).alerts.filter((a) => a.state !== 'resolved');
    expect(alerts.map((a) => [a.type, a.system, a.severity])).toEqual([
      ['MISSING_STANDUP', 'hotel-pms', 'MEDIUM'],
      ['MISSING_STANDUP', 'hotel-saas', 'MEDIUM'],
    ]);
    expect(alerts[0]!.message).toBe('No standup from hotel-pms for 2026-01-05 (due 10:00; leader: Luna)');
    // Calling again changes nothing: still one alert per system.
    expect(await processTime(store, config, at('10:02'), { openBlockers: null })).toEqual([]);

    await seedStore(store, {
      standups: [{ id: 'S1', system: 'hotel-pms', date: '2026-01-05', author: 'luna', done: 'x', next: 'y', blockers: [], at: new Date(at('10:30')).toISOString(), history: [] }],
    });
    await processTime(store, config, at('10:31'), { openBlockers: null });
    alerts = (await store.read('core')).alerts;
    expect(alerts.find((a) => a.system === 'hotel-pms')!.state).toBe('resolved');
    expect(alerts.find((a) => a.system === 'hotel-saas')!.state).toBe('open');
  });

  it('a workspace created today owes no standup that was due before it existed; the next day it does', async () => {
    const store = new MemoryStore();
    // First seen at 11:00 on Monday: the 10:00 standups were due before the workspace existed.
    expect(await processTime(store, config, at('11:00'), { openBlockers: null })).toEqual([]);
    expect(await processTime(store, config, at('11:05'), { openBlockers: null })).toEqual([]);
    expect((await store.read('core')).alerts).toEqual([]);
    expect((await store.read('core')).kv.get('createdAt')).toBe(new Date(at('11:00')).toISOString());
    // Tuesday 10:01: due after the workspace was created.
    await processTime(store, config, at('10:01') + 86_400_000, { openBlockers: null });
    expect((await store.read('core')).alerts.map((a) => [a.type, a.system])).toEqual([
      ['MISSING_STANDUP', 'hotel-pms'],
      ['MISSING_STANDUP', 'hotel-saas'],
    ]);
  });

  it('a store that already holds older records counts from the earliest of them', async () => {
    const store = new MemoryStore();
    await seedStore(store, {
      standups: [{ id: 'S0', system: 'hotel-pms', date: '2026-01-02', author: 'luna', done: 'x', next: 'y', blockers: [], at: '2026-01-02T01:00:00.000Z', history: [] }],
    });
    await processTime(store, config, at('11:00'), { openBlockers: null });
    expect((await store.read('core')).alerts.map((a) => a.system)).toEqual(['hotel-pms', 'hotel-saas']);
  });
});
