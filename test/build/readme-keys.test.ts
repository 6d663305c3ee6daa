// The README's keys table lists every key of the console's keymap (views/keymap.ts), aliases
// included, and says nothing of keys the keymap does not have.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeKeymap } from '../../views/keymap.js';
import { PANES } from '../../views/panes/components.js';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** How the README writes a key of the keymap (views/keymap.ts keyName). */
const NAMES: Readonly<Record<string, string>> = {
  tab: 'Tab',
  'shift+tab': 'Shift-Tab',
  enter: 'Enter',
  esc: 'Esc',
  up: '↑',
  down: '↓',
  pgup: 'PgUp',
  pgdn: 'PgDn',
  home: 'Home',
  end: 'End',
};
const written = (key: string) => NAMES[key] ?? (key.startsWith('ctrl+') ? `Ctrl-${key.slice(5).toUpperCase()}` : key);

/** The first column of the table under "### Keys": the keys of each row, as written between backticks. */
function keysColumn(): string[][] {
  const section = README.split('\n### Keys\n')[1]?.split('\n#')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => [...l.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

describe('the README keys table', () => {
  it('lists every key of the keymap, the number keys as 1–N for the panes there are', () => {
    const rows = keysColumn();
    expect(rows.length).toBeGreaterThan(10);
    const listed = new Set(rows.flat());
    const missing: string[] = [];
    for (const binding of activeKeymap(false, PANES.length)) {
      if (binding.command === 'focus-pane') {
        const row = rows.find((r) => r.includes('1') && r.includes(String(PANES.length)));
        if (!row) missing.push(`1–${PANES.length} (${binding.description})`);
        continue;
      }
      for (const key of binding.keys) if (!listed.has(written(key))) missing.push(`${written(key)} (${binding.description})`);
    }
    expect(missing).toEqual([]);
  });

  it('lists no key the keymap does not have', () => {
    const known = new Set(activeKeymap(false, PANES.length).flatMap((b) => b.keys.map(written)));
    const extra = keysColumn()
      .flat()
      .filter((k) => !known.has(k) && !/^\d$/.test(k));
    expect(extra).toEqual([]);
  });
});
