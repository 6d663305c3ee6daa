// Writes that tell the truth: every command that changes state, run against a store on a disk that
// is read-only or full, exits non-zero, names the file on stderr, and leaves what was stored as it
// was. The real binary, the store on its own small tmpfs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';
import { canMount, mountDisk, type Disk } from '../helpers/disk.js';
import { CLI_HANG_MS } from '../helpers/bounds.js';

const EXAMPLE_MATRIX = path.resolve(import.meta.dirname, '../../data/example/Integration_Management_Matrix.md');

let disk: Disk;
let dir: string;
let alertId: string;

/** Everything the store and the matrix hold, file by file (locks come and go). */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(dir, 'state')).sort()) {
    if (name.endsWith('.lock')) continue;
    out[name] = fs.readFileSync(path.join(dir, 'state', name), 'utf8');
  }
  out.matrix = fs.readFileSync(path.join(dir, 'matrix.md'), 'utf8');
  return out;
}

/** Each state-changing command, as a user would type it. */
const commands = (): Array<[string, string[]]> => [
  ['check', ['check']],
  ['ack', ['ack', alertId, '--note', 'on it']],
  ['unack', ['unack', alertId]],
  ['snooze', ['snooze', alertId, '1h']],
  ['resolve', ['resolve', alertId]],
  ['standup add', ['standup', 'add', '--system', 'pms', '--done', 'mapping', '--next', 'tests', '--blocker', 'waiting for keys']],
  ['matrix set', ['matrix', 'set', 'order_items', 'in-progress']],
  ['report --out', ['report', 'daily', '--out', path.join(dir, 'daily.md')]],
];

beforeAll(async () => {
  if (!canMount()) return;
  disk = mountDisk(4096);
  dir = disk.dir;
  fs.mkdirSync(path.join(dir, 'state'));
  fs.copyFileSync(EXAMPLE_MATRIX, path.join(dir, 'matrix.md'));
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Truthful writes
people: { luna: { name: Luna } }
systems: { pms: { name: PMS, leader: luna }, hotel-saas: { name: SaaS } }
checks:
  - { id: failing, system: pms, kind: command, run: ["${process.execPath}", "-e", "process.exit(3)"], failure_threshold: 1 }
store: ./state/imos.json
matrix: ./matrix.md
`,
  );
  // An alert to act on: the check fails, and with no poller about, imos check opens it.
  const first = await runImos(['check'], { cwd: dir });
  expect(first.exitCode, first.stderr).toBe(2);
  const alerts = JSON.parse((await runImos(['alerts', '--json'], { cwd: dir })).stdout) as Array<{ id: string }>;
  alertId = alerts[0]!.id;
}, 60_000);

afterAll(() => {
  disk?.remove();
});

describe.skipIf(!canMount())('a state-changing command whose change cannot be stored', () => {
  for (const trouble of ['read-only', 'full'] as const) {
    it(`exits non-zero and names the file when the disk is ${trouble}; what was stored stays`, async () => {
      const before = snapshot();
      if (trouble === 'read-only') disk.readOnly();
      else disk.fill();
      const outcomes: string[] = [];
      const exits = new Map<string, number>();
      try {
        for (const [name, args] of commands()) {
          const run = await runImos(['--as', 'luna', ...args], { cwd: dir, timeoutMs: CLI_HANG_MS });
          const named = run.stderr.includes(dir);
          exits.set(name, run.exitCode);
          outcomes.push(`${name}: exit ${run.exitCode}${named ? '' : ' (no file named)'}${run.exitCode === 0 ? ` ${run.stdout.slice(0, 200)}` : ''} ${run.stderr.slice(0, 300)}`);
          // Read-only refuses every write. On a full disk a small append may still fit in a page
          // the file already has: such a change is stored, and saying so is the truth.
          if (trouble === 'read-only') expect(run.exitCode, `${name}\n${run.stdout}\n${run.stderr}`).not.toBe(0);
          if (run.exitCode !== 0 && !(name === 'check' && run.exitCode === 2 && !run.stderr)) {
            expect(named, `${name} names the file or directory\n${run.stderr}`).toBe(true);
          }
        }
      } finally {
        if (trouble === 'read-only') disk.writable();
        else disk.unfill();
        console.log(`${trouble} disk:\n  ${outcomes.join('\n  ')}`);
      }
      if (trouble === 'read-only') expect(snapshot()).toEqual(before);
      // Whatever fitted, every file still parses and nothing stored before was lost.
      const after = snapshot();
      for (const [file, text] of Object.entries(before)) if (file.endsWith('.jsonl')) expect(after[file]!.startsWith(text), file).toBe(true);
      // A change reported done is there.
      const alerts = JSON.parse((await runImos(['alerts', '--all', '--json'], { cwd: dir })).stdout) as Array<{ id: string; state: string }>;
      const stateAfter: Record<string, string> = { ack: 'acknowledged', unack: 'open', snooze: 'snoozed', resolve: 'resolved' };
      const expected = Object.keys(stateAfter).filter((name) => exits.get(name) === 0).map((name) => stateAfter[name]!).at(-1) ?? 'open';
      expect(alerts.find((a) => a.id === alertId)!.state).toBe(expected);
      const standups = (await runImos(['standup', 'list', '--json'], { cwd: dir })).stdout;
      expect(standups.includes('waiting for keys')).toBe(exits.get('standup add') === 0);
      const check = await runImos(['store', 'check'], { cwd: dir });
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    }, 120_000);
  }
});

describe.skipIf(!canMount())('a matrix status whose audit entry cannot be stored', () => {
  it('is undone: the matrix file stays as it was and the command says why, naming the store', async () => {
    // The matrix on a writable disk, the store on a read-only one: the file write succeeds and
    // the audit entry that must say who made the change cannot be stored.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-matrix-audit-'));
    try {
      fs.copyFileSync(EXAMPLE_MATRIX, path.join(outside, 'matrix.md'));
      fs.writeFileSync(
        path.join(outside, 'imos.yaml'),
        `project: Audit or undo
people: { luna: { name: Luna } }
systems: { pms: { name: PMS, leader: luna }, hotel-saas: { name: SaaS } }
checks: []
store: ${path.join(dir, 'state', 'imos.json')}
matrix: ./matrix.md
`,
      );
      const before = fs.readFileSync(path.join(outside, 'matrix.md'), 'utf8');
      disk.readOnly();
      let run;
      try {
        run = await runImos(['--as', 'luna', 'matrix', 'set', 'order_items', 'in-progress'], { cwd: outside, timeoutMs: 30_000 });
      } finally {
        disk.writable();
      }
      expect(run.exitCode, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/order_items not changed: its audit entry could not be stored \(.*/);
      expect(run.stderr).toContain(dir);
      expect(fs.readFileSync(path.join(outside, 'matrix.md'), 'utf8')).toBe(before);
      // With the store writable again the same command goes through and is audited.
      const again = await runImos(['--as', 'luna', 'matrix', 'set', 'order_items', 'in-progress'], { cwd: outside });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(fs.readFileSync(path.join(outside, 'matrix.md'), 'utf8')).not.toBe(before);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  }, 60_000);
});
