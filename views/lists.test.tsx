// Lists a person can trust all day: every list says where it is when it does not fit and scrolls
// with its selection (j/k, PgUp/PgDn, g/G) to its last row; a pane's count matches what can be
// reached; the grid gives a pane the rows its neighbour does not need; f zooms a pane to the
// whole screen; o / O sort a list by its columns; / filters every list and says how many match.
import { describe, expect, it } from 'vitest';
import { alert, hotelCore, NOW, type TestCore } from './testing/fixtures.js';
import { consoleScreens, SIZES, lines, rightHalf } from './testing/console.js';
import { KEY } from './testing/render.js';
import type { AuditEntry } from '../src/model.js';

const screens = consoleScreens();
const inFuture = (ms: number) => new Date(NOW + ms).toISOString();

/** `count` HIGH alerts A1…An, A1 the oldest (listed first), each escalating when `escalating`. */
function manyAlerts(count: number, escalating = false): TestCore {
  const core = hotelCore();
  core.alerts = Array.from({ length: count }, (_, i) =>
    alert(`A${i + 1}`, 'HIGH', `sys-${String(i + 1).padStart(2, '0')}`, `failure number ${i + 1}`, (count - i) * 60_000, escalating ? { nextEscalationAt: inFuture((i + 1) * 60_000) } : {}),
  );
  core.nextAlertNumber = count + 1;
  return core;
}

/** The ids of the active list's rows on screen. */
const activeIds = (frame: string) => lines(frame).flatMap((l) => /(?:HIGH|CRIT\w*|MED\w*) +(A\d+) /.exec(l)?.[1] ?? []);

for (const [columns, rows] of SIZES) {
  const grid = columns === 160;
  describe(`lists at ${columns}×${rows}`, () => {
    it('40 alerts: the alert center says which rows it shows and how many more, and scrolls with the selection to the last', async () => {
      const { r } = await screens.open({ core: manyAlerts(40) }, columns, rows);
      await r.press('4');
      let f = rightHalf(r.frame(), grid);
      expect(f).toContain('Active 40');
      const shown = activeIds(f);
      expect(shown[0]).toBe('A1');
      // What is shown and what is said to lie below add up to the count.
      const position = /1–(\d+) of 40 · \+(\d+) more ↓/.exec(f);
      expect(position).not.toBeNull();
      expect(Number(position![1])).toBe(shown.length);
      expect(Number(position![1]) + Number(position![2])).toBe(40);
      // G: the last alert, selected and in view; the line says what lies above.
      await r.press('G');
      f = rightHalf(r.frame(), grid);
      expect(activeIds(f)).toContain('A40');
      expect(activeIds(f)).not.toContain('A1');
      expect(f).toMatch(/\d+–40 of 40 · ↑\d+/);
      expect(f).not.toContain('more ↓');
      // k moves up one row inside the window; g goes back to the top.
      await r.press('k');
      expect(activeIds(rightHalf(r.frame(), grid))).toContain('A40');
      await r.press('g');
      f = rightHalf(r.frame(), grid);
      expect(activeIds(f)[0]).toBe('A1');
      // PgDn moves a page: the first rows leave the screen.
      await r.press('\u001B[6~');
      await r.press('\u001B[6~');
      expect(activeIds(rightHalf(r.frame(), grid))).not.toContain('A1');
      for (const line of r.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
    });

    it('7 active alerts, 5 of them escalating: every one is listed, and the whole queue', async () => {
      const core = hotelCore();
      core.alerts = [
        alert('A1', 'CRITICAL', 'hotel-common', 'db down', 600_000, { nextEscalationAt: inFuture(60_000) }),
        alert('A2', 'CRITICAL', 'hotel-pms', 'pms down', 500_000, { nextEscalationAt: inFuture(120_000) }),
        alert('A3', 'HIGH', 'hotel-saas', 'lag', 400_000, { nextEscalationAt: inFuture(180_000) }),
        alert('A4', 'HIGH', 'hotel-member', 'status 503', 300_000, { nextEscalationAt: inFuture(240_000) }),
        alert('A5', 'HIGH', 'hotel-member', 'status 502', 200_000, { nextEscalationAt: inFuture(300_000) }),
        alert('A6', 'MEDIUM', 'hotel-saas', '12 errors', 100_000),
        alert('A7', 'MEDIUM', 'hotel-saas', 'backlog', 50_000),
      ];
      const { r } = await screens.open({ core }, columns, rows);
      await r.press('4');
      const f = rightHalf(r.frame(), grid);
      expect(f).toMatch(/7 active/);
      expect(activeIds(f).sort()).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7']);
      expect(f).not.toMatch(/more ↓/);
      const queue = lines(f).flatMap((l) => /(A\d) +hotel-\S+ +level 1/.exec(l)?.[1] ?? []);
      expect(queue).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    });

    it('an escalation queue longer than its room names the ones it leaves out, and scrolls once ] brings it to the front', async () => {
      const { r } = await screens.open({ core: manyAlerts(40, true) }, columns, rows);
      await r.press('4');
      let f = rightHalf(r.frame(), grid);
      const queuedIds = (frame: string) => lines(frame).flatMap((l) => /(A\d+) +sys-\d+ +level 1/.exec(l)?.[1] ?? []);
      const queued = queuedIds(f);
      const title = /Escalation queue 40 +\+(\d+) more: ((?:A\d+ ?)+)/.exec(f);
      expect(title).not.toBeNull();
      expect(queued.length + Number(title![1])).toBe(40);
      expect(title![2]!.trim().split(' ')[0]).toBe(`A${queued.length + 1}`);
      // ]: the queue in front scrolls to its last entry and says where it is.
      await r.press(']', 'G');
      f = rightHalf(r.frame(), grid);
      expect(queuedIds(f)).toContain('A40');
      expect(f).toMatch(/\d+–40 of 40 · ↑\d+/);
      // Its selected entry is the alert acted on: a asks for A40's note, Enter shows A40.
      await r.press('a');
      expect(r.frame()).toContain('acknowledge A40 — note');
      await r.press(KEY.esc, KEY.enter);
      expect(r.frame()).toMatch(/A40 .*Esc: back to the list/);
      // / filters the queue, with the count.
      await r.press(KEY.esc, '/');
      await r.type('sys-0');
      expect(r.frame()).toContain('filter: sys-0 — 9 of 40');
    });
  });
}

/** `count` acknowledgements in the audit log, oldest first: "ack A1 “step 1”" … */
function manyActions(count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, i) => ({ at: new Date(NOW - (count - i) * 60_000).toISOString(), actor: 'luna', action: 'ack', target: `A${i + 1}`, note: `step ${i + 1}` }));
}

/** The targets of the recent actions on screen (newest first). */
const actionTargets = (frame: string) => lines(frame).flatMap((l) => /luna ack (A\d+) “step/.exec(l)?.[1] ?? []);

for (const [columns, rows] of SIZES) {
  const grid = columns === 160;
  describe(`recent actions at ${columns}×${rows}`, () => {
    it('31 actions: the list says where it is, scrolls with its selection to the oldest, and filters with the count', async () => {
      const { r } = await screens.open({ audit: manyActions(31) }, columns, rows);
      await r.press('4');
      let f = rightHalf(r.frame(), grid);
      expect(f).toContain('Recent actions 31');
      const shown = actionTargets(f);
      expect(shown[0]).toBe('A31');
      const position = /1–(\d+) of 31 · \+(\d+) more ↓/.exec(f);
      expect(position).not.toBeNull();
      expect(Number(position![1])).toBe(shown.length);
      expect(Number(position![1]) + Number(position![2])).toBe(31);
      // ] ]: the queue, then the recent actions come to the front; G goes to the oldest, and the line
      // says what lies above. The keys in one read (typed fast, tmux send-keys): G counts the list
      // ] brought to the front.
      await r.press(']]G');
      expect(r.frame()).toContain('[: back to the queue');
      f = rightHalf(r.frame(), grid);
      expect(actionTargets(f)).toContain('A1');
      expect(actionTargets(f)).not.toContain('A31');
      expect(f).toMatch(/\d+–31 of 31 · ↑\d+/);
      // k moves up inside the window; a page up shows newer ones; g the newest again.
      await r.press('k');
      expect(actionTargets(rightHalf(r.frame(), grid))).toContain('A1');
      await r.press('g');
      f = rightHalf(r.frame(), grid);
      expect(actionTargets(f)[0]).toBe('A31');
      // Acting on an alert needs the alerts in front: with the actions there, nothing is selected.
      await r.press('a');
      expect(r.frame()).toContain('no alert selected');
      // / filters the list in front: the actions, with the count.
      await r.press('/');
      await r.type('step 2');
      f = rightHalf(r.frame(), grid);
      // step 2, step 20 … step 29
      expect(f).toContain('filter: step 2 — 11 of 31');
      expect(f).toContain('Active 4');
      expect(f).not.toMatch(/filter: step 2 — \d+ of 4/);
      // Esc clears the filter, Esc again brings the alerts back to the front.
      await r.press(KEY.enter, KEY.esc);
      expect(r.frame()).not.toContain('filter:');
      await r.press(KEY.esc, 'a');
      await r.waitFor('note');
      for (const line of r.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
    });
  });
}

describe('the alert center at every height of the grid', () => {
  it('draws no more lines than its rows: its title, the queue and the recent actions all stay on screen', async () => {
    for (const rows of [33, 36, 40]) {
      const { r } = await screens.open({ core: manyAlerts(10, true), audit: manyActions(11) }, 120, rows);
      const f = lines(r.frame()).map((l) => [...l].slice(60).join('')).join('\n');
      expect(f, `at 120×${rows}`).toMatch(/Active 10/);
      expect(f, `at 120×${rows}`).toMatch(/Escalation queue 10/);
      expect(f, `at 120×${rows}`).toMatch(/Recent actions 11/);
      expect(actionTargets(f).length, `at 120×${rows}`).toBeGreaterThanOrEqual(1);
      // Fewer shown than there are: the title says how to reach the rest.
      if (actionTargets(f).length < 11) expect(f).toMatch(/Recent actions 11 +\]: scroll them/);
      await r.unmount();
    }
  });
});

describe('the alert center’s columns', () => {
  /** Alerts on the fixture's systems whose message is `message`. */
  const withMessage = (message: string) => {
    const core = hotelCore();
    core.alerts = [
      alert('A1', 'CRITICAL', 'hotel-common', message, 600_000, { nextEscalationAt: inFuture(60_000) }),
      alert('A2', 'HIGH', 'hotel-pms', 'status 503', 300_000),
    ];
    return core;
  };
  /** A1's row in the alert center (the grid's right-hand column). */
  const alertRow = (frame: string, columns: number) => lines(frame).map((l) => [...l].slice(Math.floor(columns / 2)).join('')).find((l) => /CRIT\w* +A1 /.test(l))!;

  // Messages that fit once the system and state columns are as wide as what they hold (a cut before).
  for (const [columns, rows, message] of [
    [120, 40, 'connection refused by host'],
    [160, 48, 'connection refused by 10.0.0.7'],
  ] as const) {
    it(`widen into the free space at ${columns}×${rows}: a message that fits is not cut`, async () => {
      const { r } = await screens.open({ core: withMessage(message) }, columns, rows);
      const row = alertRow(r.frame(), columns);
      expect(row).toContain(message);
      expect(row).toMatch(/esc in 1m/);
      if (columns === 160) expect(row).toMatch(/A1 +hotel-common +connection/);
    });

    it(`cut a message only when the room is really not there (${columns}×${rows})`, async () => {
      const message = `${'a very long message about the connection '.repeat(4)}END`;
      const { r } = await screens.open({ core: withMessage(message) }, columns, rows);
      const row = alertRow(r.frame(), columns);
      expect(row).toContain('a very long message');
      expect(row).toContain('…');
      expect(row).not.toContain('END');
      // The age and the state keep their columns.
      expect(row).toMatch(/10m esc in 1m/);
      for (const line of lines(r.frame())) expect([...line].length).toBeLessThanOrEqual(columns);
    });
  }
});

describe('the grid shares each column by need', () => {
  it('the systems pane above keeps only the rows it needs: the alert center below gets the rest', async () => {
    const { r } = await screens.open({ core: manyAlerts(40) }, 160, 48);
    const f = r.frame();
    const rowOf = (title: string) => lines(f).findIndex((l) => l.includes(title));
    // Four systems: a header and four rows in a frame of three.
    expect(rowOf('4 Alert center') - rowOf('2 Systems')).toBeLessThanOrEqual(10);
    expect(activeIds(rightHalf(f, true)).length).toBeGreaterThanOrEqual(25);
    // The left column still fills the body: the overview and the timeline.
    expect(rowOf('3 Timeline')).toBeGreaterThan(rowOf('1 Overview'));
    expect(lines(f)).toHaveLength(47);
  });
});

describe('zoom, sort and filter', () => {
  it('f zooms the focused pane to the whole body and back; Esc leaves the zoom too', async () => {
    const { r } = await screens.open({ core: manyAlerts(40) }, 160, 48);
    await r.press('4');
    const before = activeIds(r.frame()).length;
    await r.press('f');
    let f = r.frame();
    expect(f).not.toContain('1 Overview');
    expect(f).not.toContain('2 Systems');
    expect(f).toMatch(/4 Alert center +40 active · f: back/);
    expect(lines(f).find((l) => l.includes('4 Alert center'))!.length).toBe(160);
    expect(activeIds(f).length).toBeGreaterThan(before);
    await r.press('f');
    f = r.frame();
    expect(f).toContain('1 Overview');
    expect(f).not.toContain('f: back');
    // Zoomed at 80×24: no tab strip; Tab moves the zoom to the next pane; Esc leaves it.
    await r.unmount();
    const small = await screens.open({}, 80, 24);
    await small.r.press('2', 'f');
    f = small.r.frame();
    expect(f).not.toContain('1 Overview  2 Systems');
    expect(f).toMatch(/2 Systems +4 systems · f: back/);
    await small.r.press(KEY.tab);
    expect(small.r.frame()).toMatch(/3 Timeline +2 phases · f: back/);
    await small.r.press(KEY.esc);
    expect(small.r.frame()).toContain('1 Overview  2 Systems');
  });

  it('o sorts the alert center by severity, age, system; O reverses; the header says how', async () => {
    const { r } = await screens.open({}, 160, 48);
    await r.press('4');
    const order = () => activeIds(rightHalf(r.frame(), true));
    expect(order()).toEqual(['A2', 'A1', 'A4', 'A3']);
    await r.press('o');
    expect(r.frame()).toMatch(/Active 4 +by age/);
    expect(r.frame()).toContain('sorted by age');
    // Newest first: A4 (5 min), A2 (20 min), A1 (1 h), A3 (2 h).
    expect(order()).toEqual(['A4', 'A2', 'A1', 'A3']);
    await r.press('O');
    expect(order()).toEqual(['A3', 'A1', 'A2', 'A4']);
    expect(r.frame()).toMatch(/Active 4 +by age ↑/);
    await r.press('o');
    // By system: hotel-common, hotel-member, hotel-pms, hotel-saas.
    expect(order()).toEqual(['A2', 'A4', 'A1', 'A3']);
    await r.press('o');
    expect(order()).toEqual(['A2', 'A1', 'A4', 'A3']);
    // The systems grid marks its sorted column.
    await r.press('2', 'o');
    const f = rightHalf(r.frame(), true);
    expect(f).toMatch(/system▼/);
    const ids = lines(f).flatMap((l) => /[✖◆▲✓○] (hotel-\S+)/.exec(l)?.[1] ?? []);
    expect(ids).toEqual(['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']);
    // A list with one order says so.
    await r.press('3', 'o');
    expect(r.frame()).toContain('this list has one order');
  });

  it('/ filters every list and says how many of how many match', async () => {
    const { r } = await screens.open({}, 80, 24);
    await r.press('4', '/');
    await r.type('pms');
    expect(r.frame()).toContain('filter: pms — 1 of 4');
    await r.press(KEY.enter, '2', '/');
    await r.type('member');
    expect(r.frame()).toContain('filter: member — 1 of 4');
    await r.press(KEY.enter, '3', '/');
    await r.type('phase 2');
    let f = r.frame();
    expect(f).toContain('filter: phase 2 — 1 of 2');
    // The phase rows (the summary line above them names the current phase).
    expect(f).toMatch(/^║Phase 2: system connections/m);
    expect(f).not.toMatch(/^║Phase 1: unified database/m);
    await r.press(KEY.esc);
    expect(r.frame()).toMatch(/^║Phase 1: unified database/m);
  });
});

describe('the overview on a short terminal', () => {
  it('says how many lines it leaves out instead of dropping them silently; full screen shows them', async () => {
    const core = hotelCore();
    const standup = (system: string) => ({ id: system, system, date: '2025-01-29', author: 'luna', done: `done on ${system}`, next: 'next', blockers: [], at: '2025-01-29T00:30:00Z', history: [] });
    core.standups = ['hotel-common', 'hotel-member', 'hotel-pms'].map(standup);
    const { r } = await screens.open({ core }, 80, 21);
    let f = r.frame();
    const more = /\+(\d+) more lines ↓ \(f: full screen\)/.exec(f);
    expect(more).not.toBeNull();
    expect(f).not.toContain('no standup yet: hotel-saas');
    await r.press('f');
    f = r.frame();
    expect(f).toContain('no standup yet: hotel-saas');
    expect(f).not.toMatch(/more lines ↓/);
  });
});
