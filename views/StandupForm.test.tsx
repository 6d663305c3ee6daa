import { describe, expect, it } from 'vitest';
import { consoleScreens, setupConsole, SIZES } from './testing/console.js';
import { KEY } from './testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`standup form at ${columns}×${rows}`, () => {
    it('standup: defaults to the system the user leads, validates, saves, shows at once', async () => {
      const { store, actions, r } = await screens.open({ actor: 'suno' }, columns, rows);
      await r.press('s');
      let f = r.frame();
      expect(f).toContain('Standup 2025-01-29 · suno');
      expect(f).toMatch(/System\s+‹ hotel-member ›/);
      // Saving empty: field errors, nothing saved.
      await r.press(KEY.ctrlS);
      f = await r.waitFor('say what was done');
      expect(f).toContain('say what comes next');
      expect(actions.calls.filter((c) => c.action === 'saveStandup')).toHaveLength(0);
      // Done: two lines (Enter is a newline); Next; a blocker waiting on hotel-common.
      await r.type('Loyalty API');
      await r.press(KEY.enter);
      await r.type('schema');
      await r.press(KEY.tab);
      await r.type('Points sync');
      await r.press(KEY.tab, KEY.enter); // → add blocker
      await r.type('needs room_types table');
      await r.press(KEY.tab, KEY.right);
      f = r.frame();
      expect(f).toContain('Loyalty API');
      expect(f).toContain('schema');
      expect(f).toMatch(/waits on\s*‹ hotel-member ›|waits on\s*‹ hotel-common ›/);
      await r.press(KEY.ctrlS);
      await r.waitFor('standup saved for hotel-member');
      const core = await store.read('core');
      expect(core.standups).toHaveLength(1);
      expect(core.standups[0]).toMatchObject({ system: 'hotel-member', done: 'Loyalty API\nschema', next: 'Points sync' });
      expect(core.standups[0]!.blockers[0]).toMatchObject({ text: 'needs room_types table' });
      await r.waitFor('open blockers 1');
      const f2 = await r.waitFor('Today’s standups');
      expect(f2).toMatch(/✓ hotel-member\s+suno\s+Loyalty API → Points sync\s+⚑1/);
      expect(f2).toContain('no standup yet: hotel-common, hotel-pms, hotel-saas');
    });

    it('standup: a line longer than the field shows its end (where you type) while focused, its start otherwise', async () => {
      const { r } = await screens.open({ actor: 'suno' }, columns, rows);
      await r.press('s');
      const long = `START ${'word '.repeat(40)}THE-END`;
      await r.type(long);
      let f = await r.waitFor('THE-END');
      expect(f).toMatch(/Done\s+│ …[a-z ]+ THE-END▏/);
      expect(f).not.toContain('START');
      await r.press(KEY.tab);
      f = r.frame();
      expect(f).toMatch(/Done\s+│ START word/);
      expect(f).not.toContain('THE-END');
    });

    it('standup: today’s entry opens for editing and is saved over', async () => {
      const { store, r } = await screens.open({ actor: 'suno' }, columns, rows);
      await r.press('s', 'A', 'P', 'I', KEY.tab, 'x', KEY.ctrlS);
      await r.waitFor('standup saved');
      await r.press('s');
      const f = await r.waitFor('editing today’s entry');
      expect(f).toMatch(/Done\s+│ API/);
      await r.press(KEY.backspace, KEY.backspace, KEY.backspace);
      await r.type('Loyalty API');
      await r.press(KEY.ctrlS);
      await r.waitFor('standup saved');
      const core = await store.read('core');
      expect(core.standups.at(-1)).toMatchObject({ system: 'hotel-member', done: 'Loyalty API', next: 'x' });
    });

    it('standup: Esc asks before discarding typed text', async () => {
      const { store, r } = await screens.open({}, columns, rows);
      await r.press('s', KEY.tab);
      await r.type('half done');
      await r.press(KEY.esc);
      expect(r.frame()).toContain('Discard this standup?');
      // The footer says what the keys do now (Esc keeps editing here, it does not discard).
      expect(r.frame()).toMatch(/^y discard · n \/ Esc keep editing/m);
      expect(r.frame()).not.toContain('Esc discard');
      await r.press('n');
      expect(r.frame()).toContain('half done');
      expect(r.frame()).toContain('Esc discard');
      await r.press(KEY.esc, 'y');
      expect(r.frame()).toContain('standup discarded');
      expect((await store.read('core')).standups).toHaveLength(0);
    });
  });
}

describe('a standup someone else entered today', () => {
  for (const [columns, rows] of SIZES) {
    it(`names whose it is and asks before replacing it (${columns}×${rows})`, async () => {
      const c = setupConsole({ actor: 'suno' });
      // luna entered hotel-member's standup at 09:40 Tokyo (00:40 UTC); suno leads hotel-member.
      await c.store.transact('core', (tx) =>
        tx.put('standups', { id: 'S1', system: 'hotel-member', date: '2025-01-29', author: 'luna', done: 'API', next: 'tests', blockers: [], at: '2025-01-29T00:40:00.000Z', history: [] }),
      );
      const r = await screens.render(c.app, columns, rows);
      await r.waitFor('Integration completion');
      await r.press('s');
      const f = await r.waitFor('editing luna’s entry of');
      expect(f).toMatch(/Done\s+│ API/);
      await r.type(' done');
      await r.press(KEY.ctrlS);
      let asked = await r.waitFor('Replace luna’s standup?');
      expect(asked).toMatch(/luna entered today’s hotel-member standup at \d\d:40/);
      expect(asked).toContain('y replace · n / Esc keep editing');
      expect(c.actions.calls.filter((x) => x.action === 'saveStandup')).toHaveLength(0);
      // n: back to the form, nothing saved.
      await r.press('n');
      await r.waitFor('API done');
      expect(c.actions.calls.filter((x) => x.action === 'saveStandup')).toHaveLength(0);
      await r.press(KEY.ctrlS);
      asked = await r.waitFor('Replace luna’s standup?');
      await r.press('y');
      await r.waitFor('standup saved for hotel-member');
      const saved = (await c.store.read('core')).standups.filter((s) => s.system === 'hotel-member');
      expect(saved.at(-1)).toMatchObject({ author: 'suno', done: 'API done' });
    });
  }

  it('does not ask about one’s own entry', async () => {
    const c = setupConsole({ actor: 'suno' });
    await c.store.transact('core', (tx) =>
      tx.put('standups', { id: 'S1', system: 'hotel-member', date: '2025-01-29', author: 'Suno', done: 'API', next: 'tests', blockers: [], at: '2025-01-29T00:40:00.000Z', history: [] }),
    );
    const r = await screens.render(c.app, 80, 24);
    await r.waitFor('Integration completion');
    await r.press('s');
    await r.waitFor('editing today’s entry');
    await r.press(KEY.ctrlS);
    await r.waitFor('standup saved for hotel-member');
  });
});
