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
});
