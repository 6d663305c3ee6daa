// The console's actions against the real JSON store and the real alert / standup / control modules.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedStore } from '../../src/store/testing/draft.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { alert, hotelConfig, NOW } from '../testing/fixtures.js';
import { StandupInvalidError } from './actions.js';
import { storeActions, toFieldErrors } from './store-actions.js';

let dir = '';
let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  dir = mkdtempSync(path.join(tmpdir(), 'imos-console-'));
  const config = hotelConfig({ store: path.join(dir, 'imos.json'), file: path.join(dir, 'imos.yaml'), baseDir: dir });
  store = await openStore(config.store);
  await seedStore(store, { alerts: [alert('A1', 'CRITICAL', 'hotel-common', 'down', 60_000, { nextEscalationAt: new Date(NOW + 1_800_000).toISOString() })] });
  return { config, actions: storeActions({ store, config, actor: 'suno', now: () => NOW }) };
}

describe('console actions on the store', () => {
  it('acknowledges with a note, recorded with who and when, and un-acknowledges', async () => {
    const { actions } = await setup();
    expect(await actions.acknowledge('a1', 'on it')).toMatch(/A1/);
    let core = await store!.read('core');
    expect(core.alerts[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'suno', ackNote: 'on it' });
    expect((await store!.readAudit()).some((e) => e.action === 'ack' && e.target === 'A1' && e.actor === 'suno')).toBe(true);
    await actions.unacknowledge('A1');
    core = await store!.read('core');
    expect(core.alerts[0]!.state).toBe('open');
  });

  it('says clearly when the alert does not exist or the duration is bad', async () => {
    const { actions } = await setup();
    await expect(actions.acknowledge('A99', null)).rejects.toThrow(/A99/);
    await expect(actions.snooze('A1', 'soonish')).rejects.toThrow();
    expect((await store!.read('core')).alerts[0]!.state).toBe('open');
    await actions.snooze('A1', '30m');
    expect((await store!.read('core')).alerts[0]!.state).toBe('snoozed');
  });

  it('validates and saves a standup with a blocker waiting on a system', async () => {
    const { actions } = await setup();
    const bad = actions.validateStandup({ system: 'hotel-member', done: '', next: 'x', blockers: [] });
    expect(Object.keys(bad)).toContain('done');
    await expect(actions.saveStandup({ system: 'nope', done: 'a', next: 'b', blockers: [] })).rejects.toBeInstanceOf(StandupInvalidError);
    const message = await actions.saveStandup({ system: 'hotel-member', done: 'Loyalty API', next: 'Points', blockers: [{ text: 'needs tables', waitsOn: 'hotel-common' }] });
    expect(message).toContain('hotel-member');
    const core = await store!.read('core');
    expect(core.standups).toHaveLength(1);
    expect(core.standups[0]).toMatchObject({ system: 'hotel-member', done: 'Loyalty API', author: 'suno' });
    expect(core.standups[0]!.blockers[0]).toMatchObject({ text: 'needs tables', waitsOn: { kind: 'system', id: 'hotel-common' } });
  });

  it('pauses and asks the poller to run now through the store', async () => {
    const { actions } = await setup();
    await actions.setPaused(true);
    expect((await store!.read('core')).control).toMatchObject({ paused: true, pausedBy: 'suno' });
    await actions.runNow();
    expect((await store!.read('core')).control.runNowRequestedAt).not.toBeNull();
  });

  it('maps the standup module’s field names to the form’s', () => {
    expect(toFieldErrors([{ field: 'blockers[1].waitsOn', message: 'unknown' }, { field: 'done', message: 'required' }])).toEqual({
      'blockers.1.waitsOn': 'unknown',
      done: 'required',
    });
  });

  it(':set ITEM STATUS rewrites that one cell of the matrix, with an audit entry and a snapshot', async () => {
    const { config } = await setup();
    const matrix = path.join(dir, 'Integration_Management_Matrix.md');
    copyFileSync(path.resolve(import.meta.dirname, '../../data/example/Integration_Management_Matrix.md'), matrix);
    const before = readFileSync(matrix, 'utf8');
    const actions = storeActions({ store: store!, config: { ...config, matrix }, actor: 'sun', now: () => NOW });
    expect(await actions.setMatrixStatus('t4', 'in progress')).toBe('T4: todo → in-progress in the matrix');
    const after = readFileSync(matrix, 'utf8');
    expect(after).toBe(before.replace('| T4  | order_items migration                     | hotel-saas   | HIGH     | ⏳ todo        |', '| T4  | order_items migration                     | hotel-saas   | HIGH     | 🔄 in progress |'));
    expect((await store!.readAudit()).filter((e) => e.action === 'matrix-set')).toEqual([
      expect.objectContaining({ actor: 'sun', target: 'T4', detail: expect.objectContaining({ from: 'todo', to: 'in-progress' }) }),
    ]);
    expect((await store!.read('core')).snapshots).toHaveLength(1);
    expect(await actions.setMatrixStatus('T4', '🔄')).toBe('T4 is already in-progress');
    await expect(actions.setMatrixStatus('T4', 'soonish')).rejects.toThrow('unknown status "soonish"');
    await expect(actions.setMatrixStatus('T99', 'done')).rejects.toThrow('no task, table or system "T99"');
    expect(readFileSync(matrix, 'utf8')).toBe(after);
  });
});
