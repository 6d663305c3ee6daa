import { afterEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildReport, renderReport } from '../../src/reports/build.js';
import { ganttChart } from '../../src/reports/markdown.js';
import { runReport } from '../../src/cli/commands/report.js';
import { showToday } from '../../src/cli/commands/today.js';
import { lastWorkingDay } from '../../src/reports/today.js';
import { runImos } from '../helpers/cli.js';
import { GATES_YAML, HOTEL_YAML, makeWorkspace, type Workspace } from './workspace.js';
import { FIXTURE_NOW, loadFixture } from './fixture.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

async function golden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN, name);
  if (update) await fs.writeFile(file, actual);
  expect(actual).toBe(await fs.readFile(file, 'utf8'));
}

let ws: Workspace | null = null;
afterEach(async () => {
  await ws?.cleanup();
  ws = null;
});

async function fixtureWorkspace(): Promise<Workspace> {
  const w = await makeWorkspace({ now: new Date(FIXTURE_NOW).toISOString(), yaml: HOTEL_YAML + GATES_YAML });
  await loadFixture(w.store, w.config);
  return w;
}

describe('reports from a fixed store (golden files)', () => {
  it('daily report for a past day, Markdown and JSON', async () => {
    ws = await fixtureWorkspace();
    const built = await buildReport('daily', ws.config, ws.store, '2025-01-28', FIXTURE_NOW);
    await golden('daily-2025-01-28.md', renderReport(built, 'md'));
    await golden('daily-2025-01-28.json', renderReport(built, 'json'));
  });

  it('weekly report, Markdown (with Mermaid gantt and completion line) and JSON', async () => {
    ws = await fixtureWorkspace();
    const built = await buildReport('weekly', ws.config, ws.store, '2025-01-29', FIXTURE_NOW);
    await golden('weekly-2025-01-27.md', renderReport(built, 'md'));
    await golden('weekly-2025-01-27.json', renderReport(built, 'json'));
  });

  it('weekly report without gates: says none are configured (no built-in list)', async () => {
    ws = await makeWorkspace({ now: new Date(FIXTURE_NOW).toISOString() });
    await loadFixture(ws.store, ws.config);
    const built = await buildReport('weekly', ws.config, ws.store, '2025-01-29', FIXTURE_NOW);
    if (built.report.kind !== 'weekly') throw new Error('weekly expected');
    expect(built.report.qualityGates).toEqual([]);
    expect(renderReport(built, 'md')).toContain('## Quality gates\n\n_No quality gates configured (`gates:` in imos.yaml)._');
  });

  it('regenerates a past day identically later on', async () => {
    ws = await fixtureWorkspace();
    const first = renderReport(await buildReport('daily', ws.config, ws.store, '2025-01-28', FIXTURE_NOW), 'json');
    const later = renderReport(await buildReport('daily', ws.config, ws.store, '2025-01-28', FIXTURE_NOW + 30 * 86_400_000), 'json');
    expect(later).toBe(first);
  });

  it('daily figures: checks, alert movements with MTTA / MTTR, standups, blockers, completion change', async () => {
    ws = await fixtureWorkspace();
    const { report } = await buildReport('daily', ws.config, ws.store, '2025-01-27', FIXTURE_NOW);
    if (report.kind !== 'daily') throw new Error('daily expected');
    expect(report.alerts.opened.map((a) => a.id)).toEqual(['A1', 'A2']);
    expect(report.alerts.resolved.map((a) => a.id)).toEqual(['A1', 'A2']);
    expect(report.alerts.response).toMatchObject({ count: 2, responded: 1, mttaMs: 10 * 60_000, mttrMs: 2 * 3_600_000 }); // A1 60m, A2 3h
    expect(report.checks.failing).toEqual(['unified-db', 'saas-typescript']); // by system
    expect(report.missingStandups).toEqual(['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']);
    expect(report.completion.change).toBe(11); // 34 % → 45 %
  });
});

describe('imos report (command)', () => {
  it('writes --out atomically and refuses a bad or future date', async () => {
    ws = await fixtureWorkspace();
    const out = path.join(ws.dir, 'weekly.md');
    expect(await runReport(ws.ctx(), 'weekly', { date: '2025-01-27', out })).toBe(0);
    const text = await fs.readFile(out, 'utf8');
    expect(text).toContain('```mermaid\ngantt');
    expect(text).toContain('xychart-beta');
    expect(ws.output).toEqual([`wrote the weekly report for 2025-01-27 to ${out}`]);
    await expect(runReport(ws.ctx(), 'daily', { date: '28/01/2025' })).rejects.toMatchObject({ exitCode: 64 });
    await expect(runReport(ws.ctx(), 'daily', { date: '2025-02-01' })).rejects.toMatchObject({ exitCode: 64 });
  });

  it('refuses to write the report over the store, the audit log, the configuration or the matrix', async () => {
    ws = await fixtureWorkspace();
    const core = ws.store.location;
    const journal = core.replace(/\.json$/, '.core.jsonl');
    const before = await fs.readFile(journal, 'utf8');
    const targets = [core, journal, core.replace(/\.json$/, '.results.jsonl'), core.replace(/\.json$/, '.audit.jsonl'), ws.configFile, ws.config.matrix!];
    for (const out of targets) {
      await expect(runReport(ws.ctx(), 'daily', { date: '2025-01-28', out })).rejects.toMatchObject({ exitCode: 64, message: expect.stringContaining('write the report to another file') });
    }
    expect(await fs.readFile(journal, 'utf8')).toBe(before);
    await expect(fs.stat(core)).rejects.toThrow(); // not created by the attempt either
  });

  it('runs as the real binary for a past day, as JSON', async () => {
    ws = await fixtureWorkspace();
    const r = await runImos(['--config', ws.configFile, 'report', 'daily', '--date', '2025-01-28', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ kind: 'daily', date: '2025-01-28', missingStandups: ['hotel-member'] });
    const bad = await runImos(['--config', ws.configFile, 'report', 'monthly']);
    expect(bad.exitCode).toBe(64);
  });
});

describe('imos today', () => {
  it('summarises since the last working day, what waits for a human, blockers and priorities', async () => {
    ws = await fixtureWorkspace();
    await showToday(ws.ctx(), true);
    const t = JSON.parse(ws.output[0]!);
    expect(t.date).toBe('2025-01-29');
    expect(t.sinceDate).toBe('2025-01-28');
    expect(t.overnight.opened.map((a: { id: string }) => a.id)).toEqual(['A5', 'A3', 'A4']);
    expect(t.overnight.escalated).toEqual([expect.objectContaining({ id: 'A5', level: 1 })]);
    expect(t.overnight.acknowledged.map((a: { id: string }) => a.id)).toEqual(['A4']);
    expect(t.overnight.matrixChanges).toEqual([{ at: '2025-01-28T03:00:00.000Z', actor: 'luna', item: 'reservations', from: 'in-progress', to: 'done' }]);
    expect(t.waiting.map((a: { id: string }) => a.id)).toEqual(['A5', 'A3']);
    expect(t.blockers.map((b: { id: string }) => b.id)).toEqual(['B1']);
    expect(t.priorities.map((p: { id: string }) => p.id)).toEqual(['T6', 'T11', 'T8']);
    expect(t.missingStandups).toEqual([]); // 09:00 in Tokyo: not due before 10:00
    expect(t.plan).toMatchObject({ tables: '85% (11/13 tables)', systems: '25% (1/4 systems)' });

    ws.output.length = 0;
    await showToday(ws.ctx(), false);
    const text = ws.output[0]!;
    expect(text).toContain('Hotel integration — today 2025-01-29 (since 2025-01-28)');
    expect(text).toContain('Waiting for a human (2):\n  A5 CRITICAL hotel-saas open 4h: saas-typescript: 162 errors > 150\n  A3 HIGH hotel-pms open 19h: reservation-sync: lag 7.2s > 5s');
    expect(text).toContain("Today's priorities (ready tasks):\n  1. T6 HIGH hotel-pms @luna: 予約・客室データの同期 (reservation sync) (unblocks 1 step)");
  });

  it('ages under an hour are in minutes (an alert opened 20 minutes ago is not "open 0h")', async () => {
    ws = await fixtureWorkspace();
    await ws.store.transact('core', (tx) => {
      tx.edit('alerts', 'A3').openedAt = new Date(FIXTURE_NOW - 20 * 60_000).toISOString();
    });
    await showToday(ws.ctx(), false);
    expect(ws.output[0]!).toContain('  A3 HIGH hotel-pms open 20m: reservation-sync: lag 7.2s > 5s');
  });

  it('a broken matrix: today and the reports say what and where its first problem is', async () => {
    ws = await fixtureWorkspace();
    const text = await fs.readFile(ws.matrixFile, 'utf8');
    await fs.writeFile(ws.matrixFile, text.replace('| T4  | order_items migration                     | hotel-saas   | HIGH     | ⏳ todo ', '| T4  | order_items migration                     | hotel-saas   | HIGH     | soon    '));
    await showToday(ws.ctx(), false);
    expect(ws.output[0]!).toMatch(/Plan: unavailable — .*Integration_Management_Matrix\.md: 1 problem\(s\) in the matrix; first: .*Integration_Management_Matrix\.md:46:\d+: unknown status "soon" for "T4"/);
    const built = await buildReport('daily', ws.config, ws.store, '2025-01-28', FIXTURE_NOW);
    expect(renderReport(built, 'md')).toMatch(/> Plan figures unavailable: .*; first: .*:46:\d+: unknown status "soon" for "T4"/);
  });

  it('prints stored text without terminal controls (a blocker, an actor written by another imos)', async () => {
    ws = await fixtureWorkspace();
    const evil = '\u001b]0;owned\u0007\u001b[2J\u202e';
    await ws.store.transact('core', (tx) => {
      for (const s of tx.all('standups')) for (const b of tx.edit('standups', s.id).blockers) b.text += evil;
    });
    await showToday(ws.ctx(), false);
    expect(ws.output[0]!).toContain('Blockers (1):');
    expect(ws.output[0]!).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('on a Monday looks back to Friday, and follows configured working days', () => {
    expect(lastWorkingDay('2025-02-03', ['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('2025-01-31');
    expect(lastWorkingDay('2025-01-29', ['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('2025-01-28');
    expect(lastWorkingDay('2025-02-03', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe('2025-02-01');
  });
});

describe('Mermaid gantt', () => {
  it('keeps phase names to what gantt syntax reads as a name', () => {
    const phase = { start: '2025-01-20', end: '2025-01-31', done: 1, total: 2, percent: 50, elapsedPercent: 40, status: 'On Track' as const, reason: '', members: [] };
    const chart = ganttChart({ phases: [{ ...phase, name: 'Phase 2: "ops"; #2 %% live' }], project: null }, 'Hotel: integration %% 2025');
    expect(chart.split('\n')).toEqual([
      '```mermaid',
      'gantt',
      '  title Hotel integration % 2025',
      '  dateFormat YYYY-MM-DD',
      '  axisFormat %m-%d',
      '  section Phase 2 "ops" 2 % live',
      '  On Track 50% :active, p1, 2025-01-20, 2025-02-01',
      '```',
    ]);
  });
});
