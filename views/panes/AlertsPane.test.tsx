import { describe, expect, it } from 'vitest';
import { consoleScreens, SIZES, lines, rightHalf } from '../testing/console.js';
import { KEY } from '../testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`alert center at ${columns}×${rows}`, () => {
    const grid = columns === 160;

    it('alert center: severity then age, sanitised messages, escalation queue, recent actions', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('4');
      const all = rightHalf(r.frame(), grid);
      const f = all.slice(all.indexOf('Active 4'));
      const order = ['A2', 'A1', 'A4', 'A3'].map((id) => lines(f).findIndex((l) => new RegExp(`\\b${id}\\b`).test(l) && /CRITICAL|HIGH|MEDIUM/.test(l)));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(f).toContain('status 503');
      expect(f).not.toContain('pwned');
      expect(r.stdout.lastFrame()).not.toContain('\u001b[2J');
      expect(f).toMatch(/A3 .*ack sun/);
      expect(f).toMatch(/Escalation queue 1/);
      expect(f).toMatch(/A2\s+hotel-common\s+level 1 in 10m/);
      expect(f).toContain('Recent actions');
    });

    it('acknowledge: a asks for a note, Enter acknowledges, the row and the recent actions show it', async () => {
      const { actions, r } = await screens.open({}, columns, rows);
      await r.press('4');
      // First row: A2 (CRITICAL).
      await r.press('a');
      expect(r.frame()).toContain('acknowledge A2 — note');
      await r.type('on it');
      expect(r.frame()).toContain('on it');
      await r.press(KEY.enter);
      const f = await r.waitFor('A2 acknowledged');
      expect(actions.calls).toContainEqual({ action: 'acknowledge', args: ['A2', 'on it'] });
      await r.waitFor(/A2 .*ack suno/);
      await r.waitFor('suno ack A2 “on it”');
      expect(f).toBeTruthy();
      // u un-acknowledges the selected row.
      await r.press('u');
      await r.waitFor('A2 un-acknowledged');
    });

    it('filter: / narrows the focused list as you type, Esc clears it', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('4', '/');
      await r.type('pms');
      const all = rightHalf(r.frame(), grid);
      const f = all.slice(all.indexOf('Active 4'));
      expect(f).toContain('filter: pms');
      expect(f).toMatch(/\bA1\b/);
      expect(f).not.toMatch(/\bA2\b.*CRITICAL|CRITICAL.*\bA2\b/);
      await r.press(KEY.enter);
      expect(r.frame()).toContain('filter: pms');
      await r.press(KEY.esc);
      expect(r.frame()).not.toContain('filter: pms');
      expect(rightHalf(r.frame(), grid)).toMatch(/\bA2\b/);
    });
  });
}

describe('alert center', () => {
  it('z snoozes the selected alert for a typed duration; r asks for a run; errors show in the status bar', async () => {
    const { actions, store, r } = await screens.open({}, 80, 24);
    await r.press('4', 'z');
    expect(r.frame()).toContain('snooze A2 for');
    await r.type('soon');
    await r.press(KEY.enter);
    await r.waitFor('"soon" is not a duration');
    await r.press('z');
    await r.type('30m');
    await r.press(KEY.enter);
    await r.waitFor('A2 snoozed for 30m');
    expect((await store.read('core')).alerts.find((a) => a.id === 'A2')!.state).toBe('snoozed');
    await r.press('r');
    await r.waitFor('run requested');
    expect(actions.calls.map((c) => c.action)).toEqual(['snooze', 'snooze', 'runNow']);
  });
});
