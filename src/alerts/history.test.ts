import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { readAlertHistory } from './history.js';

describe('an alert history', () => {
  const entry = (at: string, action: string, target: string) => ({ at, actor: 'ann', action, target });
  const seeded = async () => {
    const store = new MemoryStore();
    await store.transact('core', (tx) =>
      tx.audit(
        entry('2026-01-05T08:00:00.000Z', 'note', 'A1'), // an earlier alert of the same id
        entry('2026-01-05T09:00:00.000Z', 'open', 'A1'),
        entry('2026-01-05T09:05:00.000Z', 'ack', 'A2'),
        entry('2026-01-05T09:10:00.000Z', 'ack', 'A1'),
        entry('2026-01-06T09:10:00.000Z', 'archive', 'A1'),
      ),
    );
    return store;
  };

  it('reads the entries aimed at the alert since it opened, without its archive record', async () => {
    const history = await readAlertHistory(await seeded(), { id: 'A1', openedAt: '2026-01-05T09:00:00.000Z' });
    expect(history.map((e) => e.action)).toEqual(['open', 'ack']);
  });

  it('reads all of it for a record whose opening time is not a time, instead of failing the page', async () => {
    const history = await readAlertHistory(await seeded(), { id: 'A1', openedAt: 'garbled' });
    expect(history.map((e) => e.action)).toEqual(['note', 'open', 'ack']);
  });
});
