// The README's performance table is rendered from one `npm run bench -- --json` run: every target
// with its value, limit and verdict (the reason when missed), every figure beside its floor.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchTable, replaceBenchTable } from '../../scripts/bench-table.mjs';

const run = {
  format: 'imos-bench/1',
  startedAt: '2026-12-04T14:50:00.000Z',
  seconds: 498.4,
  selected: [],
  machine: { node: 'v20.20.2', platform: 'Linux x64', cpus: 2, cpuModel: 'AMD EPYC', memoryMb: 24105, loadAverageAtStart: [0.5, 1, 1.2], loadAverageAtEnd: [2, 1.5, 1.25] },
  benches: [
    {
      name: 'startup',
      completed: true,
      seconds: 40,
      figures: [{ name: 'first full frame', unit: 'ms', value: 466.2, floor: { name: 'node -e 0', value: 97.5 }, ratio: 4.78 }, { name: 'frames', unit: '', value: 3 }],
      targets: [{ name: 'first full frame ≤ 3 × node -e 0', value: 4.78, limit: 3, unit: '×', met: false, reason: 'Ink | React load first' }],
    },
    { name: 'memory', completed: false, seconds: 2, figures: [], targets: [] },
    { name: 'detection', completed: true, seconds: 30, figures: [], targets: [{ name: 'down → alert stored', value: 4078, limit: 5000, unit: 'ms', met: true, reason: null }] },
  ],
};

describe('bench table', () => {
  it('lists the machine, every target with its verdict, and every floored figure', () => {
    const table = benchTable(run);
    expect(table).toContain('Run of 2026-12-04 14:50 UTC, 498 s: 2 × AMD EPYC, 24,105 MB, Node 20.20.2, load average 0.50 1.00 1.20 at the start, 2.00 1.50 1.25 at the end.');
    expect(table).toContain('| startup | first full frame ≤ 3 × node -e 0 | 4.78 × | 3 × | MISSED — Ink \\| React load first |');
    expect(table).toContain('| memory | the benchmark did not complete | | | FAILED |');
    expect(table).toContain('| detection | down → alert stored | 4,078 ms | 5,000 ms | met |');
    expect(table).toContain('| startup | first full frame | 466 ms | node -e 0: 97.5 ms | 4.78 × |');
    expect(table).not.toContain('| frames |');
  });

  it('replaces only the marked block of the README, and refuses another file', () => {
    const readme = 'intro\n<!-- bench-table:start -->\nold\n<!-- bench-table:end -->\nrest\n';
    expect(replaceBenchTable(readme, 'NEW')).toBe('intro\n<!-- bench-table:start -->\nNEW\n<!-- bench-table:end -->\nrest\n');
    expect(() => replaceBenchTable('no block', 'NEW')).toThrow(/no <!-- bench-table:start -->/);
    expect(() => benchTable({ format: 'other' })).toThrow(/not an imos-bench\/1 results file/);
  });

  it('as a command: prints the table, or names the file it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-table-'));
    try {
      const file = path.join(dir, 'run.json');
      fs.writeFileSync(file, JSON.stringify(run));
      const script = path.resolve(import.meta.dirname, '../../scripts/bench-table.mjs');
      expect(execFileSync(process.execPath, [script, file], { encoding: 'utf8' })).toContain('| detection | down → alert stored |');
      fs.writeFileSync(file, '{');
      expect(() => execFileSync(process.execPath, [script, file], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/bench:table: .*run\.json: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the README's table is the run kept in docs/bench, as rendered", () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const runs = fs.readdirSync(path.join(root, 'docs/bench')).filter((f) => f.endsWith('.json')).sort();
    expect(runs.length).toBeGreaterThan(0);
    const latest = JSON.parse(fs.readFileSync(path.join(root, 'docs/bench', runs.at(-1)!), 'utf8')) as unknown;
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(replaceBenchTable(readme, benchTable(latest))).toBe(readme);
  });
});
