import { describe, expect, it } from 'vitest';
import { consoleScreens, setupConsole, SIZES, lines } from './testing/console.js';
import { KEY } from './testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`the console at ${columns}×${rows}`, () => {
    it('draws a frame one row shorter than the terminal, never wider than it', async () => {
      const { app } = setupConsole();
      const r = await screens.render(app, columns, rows);
      const f = await r.waitFor('Integration completion');
      expect(lines(f).length).toBe(rows - 1);
      for (const line of lines(f)) expect([...line].length).toBeLessThanOrEqual(columns);
      expect(f).toContain('imos · Hotel integration');
      expect(f).toContain('q quit');
    });

    it('acknowledge through the command line, and an unknown id says so', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press(':');
      await r.type('ack a1 looking');
      expect(r.frame()).toContain(':ack a1 looking');
      await r.press(KEY.enter);
      await r.waitFor('A1 acknowledged');
      await r.press(':');
      await r.type('ack A99');
      await r.press(KEY.enter);
      await r.waitFor('no alert A99');
    });

    it('Tab / Shift-Tab move between panes; q quits', async () => {
      const { quits, r } = await screens.open({}, columns, rows);
      await r.press(KEY.tab);
      expect(r.frame()).toMatch(/[║╔═]*2 Systems/);
      expect(r.frame()).toMatch(/^Enter open/m);
      await r.press(KEY.shiftTab, KEY.shiftTab);
      expect(r.frame()).toMatch(/^Enter details  a ack  u unack  z snooze/m);
      await r.press('q');
      expect(quits()).toBe(1);
    });
  });
}

describe('modes', () => {
  it('--readonly removes every state-changing key from the footer, the help and the router', async () => {
    const { actions, store, r } = await screens.open({ readonly: true }, 80, 24);
    await r.press('4');
    expect(r.frame()).not.toMatch(/a ack|s standup|p pause|r run/);
    await r.press('a', 'p', 'r', 's');
    expect(actions.calls).toEqual([]);
    expect(r.frame()).not.toContain('Standup 20');
    await r.press(':');
    await r.type('ack A1');
    await r.press(KEY.enter);
    await r.waitFor('read-only console');
    expect((await store.read('core')).alerts.find((a) => a.id === 'A1')!.state).toBe('open');
    await r.press('?');
    expect(r.frame()).not.toContain('Acknowledge');
    expect(r.frame()).not.toContain(':ack ID');
    expect(r.frame()).toContain('Read-only');
  });

  it('keys that arrive in one read (tmux send-keys, a paste) are taken one by one', async () => {
    const { store, r } = await screens.open({}, 80, 24);
    await r.press('s');
    await r.press('Loyalty API\rschema\tPoints sync\t\r');
    const f = r.frame();
    expect(f).toMatch(/Done\s+│ Loyalty API/);
    expect(f).toMatch(/│ schema\s+║/);
    expect(f).toMatch(/Next\s+│ Points sync/);
    expect(f).toMatch(/1\s+│/);
    await r.press('late\u007f\u007f\u007f\u007fblocked by PMS\u0013');
    await r.waitFor('standup saved');
    const saved = (await store.read('core')).standups[0]!;
    expect(saved).toMatchObject({ done: 'Loyalty API\nschema', next: 'Points sync' });
    expect(saved.blockers.map((b) => b.text)).toEqual(['blocked by PMS']);
  });

  it('p pauses polling and the header says so', async () => {
    const { r } = await screens.open({}, 80, 24);
    await r.press('p');
    await r.waitFor('PAUSED by suno');
    await r.press('p');
    await r.waitFor('polling resumed');
  });

  it('wallboard runs without a keyboard and cycles the panes', async () => {
    const { app } = setupConsole({ wallboard: true, cycleMs: 40 });
    const r = await screens.render(app, 80, 24, { stdinTTY: false });
    await r.waitFor('Integration completion');
    expect(r.frame()).toContain('wallboard');
    await r.waitFor(/║2 Systems/);
    await r.waitFor(/║3 Timeline/);
  });

  it('another console’s acknowledgement appears through the store watch', async () => {
    const { store, r } = await screens.open({}, 80, 24);
    await r.press('4');
    await store.transact('core', (tx) => {
      const a = tx.edit('alerts', 'A1');
      a.state = 'acknowledged';
      a.acknowledgedBy = 'luna';
    });
    await r.waitFor(/A1 .*ack luna/);
  });

  it('re-lays out on resize: grid → single pane → too small → grid', async () => {
    const { r } = await screens.open({}, 160, 48);
    expect(r.frame()).toContain('4 Alert center');
    await r.stdout.resize(80, 24);
    await r.settle();
    expect(r.frame()).toContain('1 Overview  2 Systems');
    expect(lines(r.frame()).length).toBe(23);
    await r.stdout.resize(50, 12);
    await r.settle();
    expect(r.frame()).toContain('terminal too small (need 60×16)');
    await r.stdout.resize(120, 40);
    await r.settle();
    expect(r.frame()).toMatch(/║4 Alert center|4 Alert center/);
    expect(lines(r.frame()).length).toBe(39);
  });

  it('NO_COLOR: the mono theme draws no colour codes; the colour theme does', async () => {
    const mono = await screens.open({}, 80, 24);
    expect(mono.r.stdout.lastFrame()).not.toMatch(/\u001b\[3[0-9]m|\u001b\[38;/);
    await mono.r.unmount();
    const color = await screens.open({ color: true }, 80, 24);
    // Ink's chalk decides the level from the environment; with colour on, tokens are coloured.
    expect(color.app.props.theme.color('critical')).toBe('red');
  });
});
