import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendHistory, historyFile, HISTORY_LINES, loadHistory } from './command-history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the : line history file', () => {
  it('sits beside the store, one per person; a PostgreSQL store keeps it in the home directory', () => {
    expect(historyFile('/w/.imos/imos.json', 'Luna')).toBe('/w/.imos/imos.commands-luna.txt');
    expect(historyFile('/w/data/team.json', 'a b/../c')).toBe('/w/data/team.commands-a_b_.._c.txt');
    expect(historyFile('postgres://u@127.0.0.1/db', 'luna')).toBe(path.join(os.homedir(), '.local', 'state', 'imos', 'commands-luna.txt'));
  });

  it('keeps the newest lines, without terminal controls, and never makes a directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'imos-history-'));
    dirs.push(dir);
    const file = path.join(dir, 'imos.commands-luna.txt');
    expect(loadHistory(file)).toEqual([]);
    appendHistory(file, 'ack A1 \u001b[2Jon it');
    appendHistory(file, '   ');
    expect(loadHistory(file)).toEqual(['ack A1 on it']);
    for (let i = 0; i < HISTORY_LINES * 2 + 5; i++) appendHistory(file, `set T${i} done`);
    const kept = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(kept.length).toBeLessThanOrEqual(HISTORY_LINES * 2);
    expect(loadHistory(file)).toHaveLength(HISTORY_LINES);
    expect(loadHistory(file).at(-1)).toBe(`set T${HISTORY_LINES * 2 + 4} done`);
    // A removed workspace: nothing is written, nothing is made.
    appendHistory(path.join(dir, 'gone', 'imos.commands-luna.txt'), 'ack A2');
    expect(existsSync(path.join(dir, 'gone'))).toBe(false);
    writeFileSync(file, 'q\n');
    expect(loadHistory(file)).toEqual(['q']);
  });
});
