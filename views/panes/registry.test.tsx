// The pane registry drives the console: a pane added to it (here, in the test) has a tab, a place
// in the grid, a number key, a Tab stop, list keys from its scopes and a line in the help,
// without a change anywhere else.
import { readdirSync } from 'node:fs';
import { Box, Text } from 'ink';
import { describe, expect, it } from 'vitest';
import { consoleScreens, setupConsole } from '../testing/console.js';
import { KEY } from '../testing/render.js';
import { selectedIn } from '../ui-state.js';
import { definePane } from './pane.js';
import { PANES } from './components.js';

const screens = consoleScreens();

function NotesPane({ width, names, selected, focused }: { width: number; rows: number; names: readonly string[]; selected: number; focused: boolean }) {
  return (
    <Box flexDirection="column" width={width}>
      {names.map((name, i) => (
        <Text key={name}>{`${focused && i === selected ? '›' : ' '} note on ${name}`}</Text>
      ))}
    </Box>
  );
}

const notesPane = definePane({
  id: 'notes',
  title: 'Notes',
  scopes: () => ['list'],
  listLength: (vm) => vm.systems.length,
  summary: (vm) => `${vm.systems.length} notes`,
  badge: () => '(new)',
  model: ({ vm, ui, focused }) => ({ names: vm.systems.map((s) => s.id), selected: selectedIn(ui, 'notes'), focused }),
  component: NotesPane,
});

const WITH_NOTES = [...PANES, notesPane];

describe('the pane registry', () => {
  it('lists the four panes in Tab order with their titles', () => {
    expect(PANES.map((p) => [p.id, p.title])).toEqual([
      ['overview', 'Overview'],
      ['systems', 'Systems'],
      ['timeline', 'Timeline'],
      ['alerts', 'Alert center'],
    ]);
    expect(new Set(PANES.map((p) => p.id)).size).toBe(PANES.length);
  });

  it('a registered pane gets a tab and number key, list keys from its scopes, and a place in the help', async () => {
    const { r } = await screens.open({ panes: WITH_NOTES }, 80, 24);
    expect(r.frame()).toContain(' 1 Overview  2 Systems  3 Timeline  4 Alert center (4)  5 Notes (new)');
    await r.press('5');
    let f = r.frame();
    expect(f).toMatch(/║5 Notes +4 notes║/);
    expect(f).toContain('› note on hotel-common');
    // Its 'list' scope brings j/k and the filter into the footer and the router.
    expect(f).toMatch(/^j\/↓ move {2}\/ filter/m);
    await r.press('j', 'j');
    expect(r.frame()).toContain('› note on hotel-pms');
    await r.press(KEY.tab);
    expect(r.frame()).toMatch(/║1 Overview/);
    await r.press(KEY.shiftTab);
    expect(r.frame()).toMatch(/║5 Notes/);
    await r.press('?');
    f = r.frame();
    expect(f).toMatch(/1-5 +Go to pane 1–5/);
    await r.press(KEY.esc);
  });

  it('a registered pane takes its place in the grid: the panes alternate between two columns', async () => {
    const { app } = setupConsole({ panes: WITH_NOTES });
    const r = await screens.render(app, 160, 48);
    const f = await r.waitFor('note on hotel-common');
    const rowOf = (title: string) => f.split('\n').findIndex((l) => l.includes(title));
    const columnOf = (title: string) => f.split('\n')[rowOf(title)]!.indexOf(title);
    expect(rowOf('1 Overview')).toBe(rowOf('2 Systems'));
    expect(rowOf('3 Timeline')).toBeGreaterThan(rowOf('1 Overview'));
    expect(rowOf('5 Notes')).toBeGreaterThan(rowOf('3 Timeline'));
    expect(rowOf('4 Alert center')).toBeGreaterThan(rowOf('2 Systems'));
    expect(columnOf('3 Timeline')).toBe(columnOf('1 Overview'));
    expect(columnOf('5 Notes')).toBe(columnOf('1 Overview'));
    expect(columnOf('4 Alert center')).toBe(columnOf('2 Systems'));
    expect(f.split('\n')).toHaveLength(47);
  });

  it('the four panes have number keys 1–4 only: 5 does nothing without a fifth pane', async () => {
    const { r } = await screens.open({}, 80, 24);
    await r.press('5');
    expect(r.frame()).toMatch(/║1 Overview/);
    await r.press('?');
    expect(r.frame()).toMatch(/1-4 +Go to pane 1–4/);
  });

  it('every pane (and every view a pane opens) has its test beside it: X.tsx and X.test.tsx', () => {
    const files = readdirSync(import.meta.dirname);
    const components = files.filter((f) => f.endsWith('.tsx') && !f.endsWith('.test.tsx'));
    expect(components.length).toBeGreaterThanOrEqual(PANES.length);
    expect(components.filter((f) => !files.includes(f.replace(/\.tsx$/, '.test.tsx')))).toEqual([]);
  });
});
