import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleApp } from './App.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { memoryActions } from './testing/memory-actions.js';
import { hotelConfig, hotelCore, hotelResults, NOW } from './testing/fixtures.js';
import { KEY, renderAt, type Rendered } from './testing/render.js';
import { colorTheme, monoTheme } from './theme.js';

let r: Rendered | null = null;
afterEach(async () => {
  await r?.unmount();
  r = null;
});

function setup(opts: { readonly?: boolean; wallboard?: boolean; cycleMs?: number; actor?: string; color?: boolean } = {}) {
  const config = hotelConfig();
  const store = new MemoryStore({ core: hotelCore(), results: hotelResults() });
  const now = () => NOW;
  const actor = opts.actor ?? 'suno';
  const actions = memoryActions(store, config, actor, now);
  let quits = 0;
  const app = (
    <ConsoleApp
      config={config}
      store={store}
      actions={actions}
      actor={actor}
      readonly={opts.readonly}
      wallboard={opts.wallboard}
      cycleMs={opts.cycleMs}
      now={now}
      tick={false}
      theme={opts.color ? colorTheme : monoTheme}
      onQuit={() => quits++}
    />
  );
  return { config, store, actions, app, quits: () => quits };
}

const lines = (frame: string) => frame.split('\n');
/** In the grid the right-hand panes (systems, alerts) start at column 80 of a 160-column frame. */
const rightHalf = (frame: string, grid: boolean) => (grid ? lines(frame).map((l) => [...l].slice(80).join('')).join('\n') : frame);

for (const [columns, rows] of [
  [80, 24],
  [160, 48],
] as const) {
  describe(`console at ${columns}×${rows}`, () => {
    const grid = columns === 160;

    it('draws a frame one row shorter than the terminal, never wider than it', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      const f = await r.waitFor('Integration completion');
      expect(lines(f).length).toBe(rows - 1);
      for (const line of lines(f)) expect([...line].length).toBeLessThanOrEqual(columns);
      expect(f).toContain('imos · Hotel integration');
      expect(f).toContain('q quit');
    });

    it('overview: completion, connections, open alerts, timeline', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      const f = await r.waitFor('Integration completion');
      expect(f).toContain('85% (11/13 tables)');
      expect(f).toContain('25% (1/4 systems)');
      expect(f).toMatch(/✖ 1 CRIT\s+◆ 2 HIGH\s+▲ 1 MED/);
      expect(f).toContain('Checks passing          2/8');
      if (grid) expect(f).toContain('Alert center');
      else expect(f).toContain('1 Overview  2 Systems  3 Timeline  4 Alert center (4)');
    });

    it('systems grid: worst first with glyph, leader, checks and worst alert; Enter opens the checks', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
      await r.press('2');
      const f = rightHalf(r.frame(), grid);
      const common = lines(f).find((l) => l.includes('hotel-common'))!;
      expect(common).toMatch(/✖ hotel-common\s+Integration…\s+1\/3\s+A2 CRITICAL/);
      const member = lines(f).find((l) => l.includes('hotel-member'))!;
      expect(member).toMatch(/◆ hotel-member\s+Suno\s+0\/1\s+A4 HIGH/);
      // hotel-common is the worst system: first row, selected.
      await r.press(KEY.enter);
      await r.waitFor('checks (Esc closes)');
      const d = rightHalf(r.frame(), grid);
      expect(d).toContain('hotel-common — Unified platform');
      expect(d).toMatch(/✓ ok\s+unified-db/);
      expect(d).toMatch(/✖ CRITICAL\s*pending-migrations/);
      // The first check is selected: move to pending-migrations and see its detail.
      await r.press('j');
      const d2 = rightHalf(r.frame(), grid);
      expect(d2).toContain('20250128_add_loyalty');
      expect(d2).toContain('2 pending migrations');
      await r.press('j');
      expect(r.frame()).toContain('public.room_types');
      await r.press(KEY.esc);
      expect(r.frame()).not.toContain('checks (Esc closes)');
    });

    it('timeline: phases as bars with their dates', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
      await r.press('3');
      const f = r.frame();
      expect(f).toContain('Phase 1: unified database');
      expect(f).toContain('01-27→02-21');
      expect(f).toMatch(/█+.*│|│.*░/);
    });

    it('alert center: severity then age, sanitised messages, escalation queue, recent actions', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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
      const { app, actions } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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

    it('acknowledge through the command line, and an unknown id says so', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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

    it('filter: / narrows the focused list as you type, Esc clears it', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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

    it('filter in the systems grid: the pane counts what it shows, in the singular for one', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
      expect(r.frame()).toMatch(/\b4 systems\b/);
      await r.press('2', '/');
      await r.type('hotel-pms');
      await r.press(KEY.enter);
      const f = await r.waitFor('filter: hotel-pms');
      expect(f).toMatch(/\b1 system\b/);
      expect(f).not.toMatch(/\b1 systems\b/);
    });

    it('help lists every key from the keymap; Esc closes it', async () => {
      const { app } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
      await r.press('?');
      const f = r.frame();
      expect(f).toContain('Acknowledge (optional note)');
      expect(f).toContain('Enter today’s standup');
      expect(f).toContain('Filter the focused list');
      // Each section title sits right above its keys (in two columns too): "Systems grid" then its Enter.
      const rowsOf = lines(f).map((l) => [...l].join(''));
      const row = rowsOf.findIndex((l) => l.includes('Systems grid'));
      const col = [...rowsOf[row]!.slice(0, rowsOf[row]!.indexOf('Systems grid'))].length;
      expect([...(rowsOf[row + 1] ?? '')].slice(col).join('')).toMatch(/^ {2}Enter\s+Open the system’s checks/);
      await r.press(KEY.esc);
      expect(r.frame()).toContain('Integration completion');
    });

    it('standup: defaults to the system the user leads, validates, saves, shows at once', async () => {
      const { app, store, actions } = setup({ actor: 'suno' });
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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
      const { app } = setup({ actor: 'suno' });
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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
      const { app, store } = setup({ actor: 'suno' });
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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
      const { app, store } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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

    it('Tab / Shift-Tab move between panes; q quits', async () => {
      const { app, quits } = setup();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
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
    const { app, actions, store } = setup({ readonly: true });
    r = await renderAt(app, 80, 24);
    await r.waitFor('Integration completion');
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
    const { app, store } = setup();
    r = await renderAt(app, 80, 24);
    await r.waitFor('Integration completion');
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

  it('z snoozes the selected alert for a typed duration; r asks for a run; errors show in the status bar', async () => {
    const { app, actions, store } = setup();
    r = await renderAt(app, 80, 24);
    await r.waitFor('Integration completion');
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

  it('Enter in the alert center shows the alert in full; actions apply to it; Esc goes back', async () => {
    const { app, store } = setup();
    await store.update('core', (core) => {
      core.alerts.find((a) => a.id === 'A4')!.respondBy = new Date(NOW + 30 * 60_000).toISOString();
    });
    r = await renderAt(app, 80, 24);
    await r.waitFor('Integration completion');
    await r.press('4', 'j', 'j', KEY.enter);
    let f = r.frame();
    expect(f).toContain('◆ HIGH A4');
    expect(f).toContain('member-api: status 503');
    expect(f).not.toContain('pwned');
    expect(f).toMatch(/escalation\s+level 0/);
    expect(f).toMatch(/respond by\s+2025-01-29 \d\d:\d\d \(in 30m\)/);
    await r.press('a', KEY.enter);
    f = await r.waitFor(/acknowledged\s+suno 2025-01-29/);
    expect(f).toContain('A4 acknowledged');
    // The response deadline stops counting down once someone has responded.
    expect(f).toMatch(/respond by\s+responded 2025-01-29 \d\d:\d\d \(0s ago\)/);
    await r.press(KEY.esc);
    expect(r.frame()).toContain('Escalation queue');
  });

  it('p pauses polling and the header says so', async () => {
    const { app } = setup();
    r = await renderAt(app, 80, 24);
    await r.waitFor('Integration completion');
    await r.press('p');
    await r.waitFor('PAUSED by suno');
    await r.press('p');
    await r.waitFor('polling resumed');
  });

  it('wallboard runs without a keyboard and cycles the panes', async () => {
    const { app } = setup({ wallboard: true, cycleMs: 40 });
    r = await renderAt(app, 80, 24, { stdinTTY: false });
    await r.waitFor('Integration completion');
    expect(r.frame()).toContain('wallboard');
    await r.waitFor(/║2 Systems/);
    await r.waitFor(/║3 Timeline/);
  });

  it('another console’s acknowledgement appears through the store watch', async () => {
    const { app, store } = setup();
    r = await renderAt(app, 80, 24);
    await r.waitFor('Integration completion');
    await r.press('4');
    await store.update('core', (core) => {
      const a = core.alerts.find((x) => x.id === 'A1')!;
      a.state = 'acknowledged';
      a.acknowledgedBy = 'luna';
    });
    await r.waitFor(/A1 .*ack luna/);
  });

  it('re-lays out on resize: grid → single pane → too small → grid', async () => {
    const { app } = setup();
    r = await renderAt(app, 160, 48);
    await r.waitFor('Integration completion');
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
    const mono = setup();
    r = await renderAt(mono.app, 80, 24);
    await r.waitFor('Integration completion');
    expect(r.stdout.lastFrame()).not.toMatch(/\u001b\[3[0-9]m|\u001b\[38;/);
    await r.unmount();
    const color = setup({ color: true });
    r = await renderAt(color.app, 80, 24);
    await r.waitFor('Integration completion');
    // Ink's chalk decides the level from the environment; with colour on, tokens are coloured.
    expect(color.app.props.theme.color('critical')).toBe('red');
  });
});
