// The alert commands in-process through the real program (config file, JSON store on disk),
// with --as, --json, exit codes and error messages as a user sees them.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfigFile } from '../../src/config/load.js';
import { openStore } from '../../src/store/open.js';
import { processResults } from '../../src/alerts/index.js';
import { result } from './fixtures.js';

const YAML = `project: Hotel integration
timezone: Asia/Tokyo
people:
  manager: { name: Manager }
  owner: { name: Owner }
  luna: { name: Luna }
systems:
  hotel-common: { name: Unified platform, leader: manager }
  hotel-pms: { name: PMS, leader: luna, depends_on: [hotel-common] }
checks:
  - id: disk
    system: hotel-pms
    kind: command
    run: [df, -P, .]
store: ./data/imos.json
`;

let dir: string;
let configFile: string;

async function imos(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((err += String(chunk)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'imos', '--config', configFile, ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-alerts-cli-'));
  configFile = path.join(dir, 'imos.yaml');
  await fs.writeFile(configFile, YAML);
  const config = loadConfigFile(configFile);
  const store = await openStore(config.store);
  const now = Date.now();
  await processResults(
    store,
    config,
    [
      result('disk', 'hotel-pms', 'HIGH', { message: 'disk 93% full', alertType: 'COMMAND_FAILED' }),
      result('db', 'hotel-common', 'CRITICAL', { message: 'unreachable', alertType: 'SYSTEM_CONNECTION_FAILURE' }),
    ],
    now - 10 * 60_000,
  );
  await store.close();
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('imos alerts / ack / unack / resolve / snooze', () => {
  it('lists active alerts by severity then age, as a table and as JSON', async () => {
    const table = await imos('alerts');
    expect(table.code).toBe(0);
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY/);
    expect(lines[1]).toMatch(/^A1\s+CRITICAL\s+open\s+hotel-common/);
    expect(lines[2]).toMatch(/^A2\s+HIGH\s+open\s+hotel-pms.*caused by A1/);
    const json = await imos('alerts', '--json');
    const alerts = JSON.parse(json.out);
    expect(alerts.map((a: { id: string; state: string }) => `${a.id}:${a.state}`)).toEqual(['A1:open', 'A2:open']);
    expect(alerts[1]).toMatchObject({ fingerprint: 'disk:COMMAND_FAILED', checkId: 'disk', type: 'COMMAND_FAILED', acknowledgedBy: null });
  });

  it('ack with --as and --note, then a repeat that says so; unack; snooze; resolve; --all', async () => {
    const ack = await imos('--as', 'luna', 'ack', 'a2', '--note', 'rotating logs');
    expect(ack).toMatchObject({ code: 0, out: 'A2 acknowledged by luna\n' });
    const again = await imos('--as', 'manager', 'ack', 'A2');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already acknowledged by luna/);
    expect((await imos('--as', 'luna', 'unack', 'A2')).out).toMatch(/no longer acknowledged/);
    const snooze = await imos('--as', 'luna', 'snooze', 'A2', '2h', '--json');
    expect(snooze.code).toBe(0);
    expect(JSON.parse(snooze.out)).toMatchObject({ id: 'A2', state: 'snoozed' });
    expect((await imos('--as', 'manager', 'resolve', 'A1', '--note', 'restarted')).out).toBe('A1 resolved by manager\n');
    expect(JSON.parse((await imos('alerts', '--json')).out).map((a: { id: string }) => a.id)).toEqual(['A2']);
    expect(JSON.parse((await imos('alerts', '--json', '--all')).out).map((a: { id: string }) => a.id)).toEqual(['A2', 'A1']);
    const store = await openStore(path.join(dir, 'data/imos.json'));
    const audit = await store.readAudit();
    await store.close();
    expect(audit.filter((e) => e.actor !== 'imos').map((e) => `${e.action}:${e.target}:${e.actor}${e.note ? `:${e.note}` : ''}`)).toEqual([
      'ack:A2:luna:rotating logs',
      'unack:A2:luna',
      'snooze:A2:luna',
      'resolve:A1:manager:restarted',
    ]);
  });

  it.each([
    [['ack', 'A42'], /unknown alert 'A42'/],
    [['snooze', 'A1', 'soon'], /malformed duration 'soon'/],
    [['unack', 'A1'], /not acknowledged/],
  ])('%j exits 1 with a clear reason', async (args, message) => {
    const run = await imos('--as', 'luna', ...args);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(message);
    expect(run.out).toBe('');
  });

  it('a resolved alert cannot be acted on; a missing argument is a usage error', async () => {
    await imos('--as', 'luna', 'resolve', 'A2');
    const ack = await imos('--as', 'luna', 'ack', 'A2');
    expect(ack.code).toBe(1);
    expect(ack.err).toMatch(/already resolved/);
    expect((await imos('snooze', 'A1')).code).toBe(64);
  });

  it('--stats shows MTTA / MTTR per severity and per system; --days is checked', async () => {
    await imos('--as', 'luna', 'ack', 'A2');
    const text = await imos('alerts', '--stats');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Alerts opened in the last 7 days \(since \d{4}-\d\d-\d\d \d\d:\d\d\)\n/); // project time, not a UTC ISO
    expect(text.out).toMatch(/\nHIGH\s+1\s+10m\s+–\s+1h\s+0\s+1\n/);
    expect(text.out).toMatch(/\nCRITICAL\s+1\s+–\s+–\s+30m\s+0\s+1\n/);
    expect(text.out).toMatch(/\nSYSTEM\s+ALERTS\s+MTTA\s+MTTR\s+BREACHED\s+OPEN\n/);
    expect(text.out).toMatch(/\nhotel-pms\s+1\s+10m\s+–\s+0\s+1\n/);
    const json = JSON.parse((await imos('alerts', '--stats', '--json', '--days', '1')).out);
    expect(json.bySeverity.HIGH).toMatchObject({ count: 1, responded: 1, targetMs: 3_600_000 });
    expect(json.bySystem['hotel-common']).toMatchObject({ count: 1, open: 1 });
    const bad = await imos('alerts', '--stats', '--days', 'x');
    expect(bad.code).toBe(64);
    expect(bad.err).toMatch(/--days expects a whole number/);
  });
});
