// What only the JSON store does: files, journals, compaction, torn lines, old formats, audit
// reconciliation, repairs. The shared contract is in store.contract.test.ts.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../model.js';
import { JsonStore } from './json-store.js';
import { openStore } from './open.js';
import { inspectStore, repairStore } from './repair.js';
import { isSealed } from './seal.js';
import { alertRecord } from './testing/records.js';
import { STORE_VERSION, StoreError, StoreGoneError } from './types.js';

let dir: string;
let storePath: string;
let store: JsonStore;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-store-'));
  storePath = path.join(dir, 'data', 'imos.json');
  store = new JsonStore(storePath);
});

afterEach(async () => {
  await store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, 'data', name);
const lines = async (name: string) => (await fs.readFile(file(name), 'utf8')).split('\n').filter(Boolean);
const entry = (i: number, at = new Date(Date.UTC(2026, 0, 5, 0, 0, i)).toISOString()): AuditEntry => ({ at, actor: 'ann', action: 'ack', target: `A${i}` });

describe('a store whose directory is removed', () => {
  it('is not made again by a later write or lease: the write fails, saying so', async () => {
    await store.transact('core', (tx) => tx.put('alerts', alertRecord('A1')));
    await fs.rm(path.join(dir, 'data'), { recursive: true, force: true });
    await expect(store.transact('core', (tx) => tx.put('alerts', alertRecord('A2')))).rejects.toThrow(/store directory .*data was removed/);
    await expect(store.lease.acquire({ pid: 1, host: 'h', user: 'u', role: 'console', token: 't' }, 3000, { nowMs: Date.now(), isAlive: () => true })).rejects.toBeInstanceOf(StoreGoneError);
    await expect(fs.stat(path.join(dir, 'data'))).rejects.toThrow();
  });

  it('counts as there once a reader saw it, even if this store never wrote', async () => {
    await fs.mkdir(path.join(dir, 'data'));
    expect((await store.read('lease')).holder).toBeNull();
    await fs.rm(path.join(dir, 'data'), { recursive: true, force: true });
    await expect(store.lease.acquire({ pid: 1, host: 'h', user: 'u', role: 'console', token: 't' }, 3000, { nowMs: Date.now(), isAlive: () => true })).rejects.toBeInstanceOf(StoreGoneError);
    await expect(fs.stat(path.join(dir, 'data'))).rejects.toThrow();
  });

  it('a fresh store still makes its directory on the first write', async () => {
    await store.transact('core', (tx) => tx.put('alerts', alertRecord('A1')));
    expect((await fs.stat(path.join(dir, 'data'))).isDirectory()).toBe(true);
  });
});

describe('files and journals', () => {
  it('reads empty sections without creating any file', async () => {
    expect((await store.read('core')).alerts).toEqual([]);
    await expect(fs.stat(path.join(dir, 'data'))).rejects.toThrow();
  });

  it('a commit appends one line to the section journal and leaves the snapshot alone', async () => {
    await store.transact('core', (tx) => {
      for (let i = 1; i <= 50; i++) tx.put('alerts', alertRecord(`A${i}`));
    });
    await store.transact('core', (tx) => {
      tx.edit('alerts', 'A7').state = 'acknowledged';
      tx.audit(entry(7));
    });
    const journal = await lines('imos.core.jsonl');
    expect(journal).toHaveLength(3); // header, two commits
    expect(JSON.parse(journal[0]!)).toEqual({ journal: 'core', version: STORE_VERSION, generation: 0 });
    const ack = JSON.parse(journal[2]!) as { seq: number; put: { alerts: Array<{ id: string }> }; audit: AuditEntry[] };
    expect(ack.seq).toBe(2);
    expect(ack.put.alerts.map((a) => a.id)).toEqual(['A7']); // the one record that changed, not all 50
    expect(ack.audit).toEqual([entry(7)]);
    await expect(fs.stat(storePath)).rejects.toThrow(); // no snapshot until the journal is folded in
    expect((await lines('imos.audit.jsonl')).map((l) => JSON.parse(l) as AuditEntry)).toEqual([{ ...entry(7), seq: 2 }]);
  });

  it('derives every file name from the configured base name', async () => {
    const other = new JsonStore(path.join(dir, 'data', 'team.json'));
    await other.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await other.transact('results', (tx) => void tx.put('checks', { id: 'c', last: null, failures: 0, successes: 0, status: 'pending', since: null }));
    await other.lease.acquire({ pid: 1, host: 'h', user: 'u', role: 'daemon', token: 't' }, 3000, { nowMs: Date.now(), isAlive: () => true });
    expect((await fs.readdir(path.join(dir, 'data'))).sort()).toEqual(['team.core.jsonl', 'team.lease.json', 'team.results.jsonl']);
    await other.close();
  });

  it('folds the journal into a new snapshot once it has grown; readers loaded before follow on', async () => {
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 4096 } });
    const reader = new JsonStore(storePath);
    await reader.read('core');
    for (let i = 1; i <= 40; i++) await small.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
    const snapshot = JSON.parse(await fs.readFile(storePath, 'utf8')) as { version: number; generation: number; seq: number; alerts: unknown[] };
    expect(snapshot.version).toBe(STORE_VERSION);
    expect(snapshot.generation).toBeGreaterThan(0);
    expect(snapshot.alerts.length).toBe(snapshot.seq);
    const journal = await lines('imos.core.jsonl');
    expect(JSON.parse(journal[0]!).generation).toBe(snapshot.generation);
    expect(journal.length - 1).toBe(40 - snapshot.seq);
    expect((await reader.read('core')).alerts.map((a) => a.id)).toEqual(Array.from({ length: 40 }, (_, i) => `A${i + 1}`));
    const fresh = new JsonStore(storePath);
    expect((await fresh.read('core')).alerts).toHaveLength(40);
    await Promise.all([small.close(), reader.close(), fresh.close()]);
  });

  it('a journal older than the snapshot (compaction interrupted) is known to be folded in', async () => {
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 1024 } });
    for (let i = 1; i <= 20; i++) await small.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
    await small.close();
    const snapshot = JSON.parse(await fs.readFile(storePath, 'utf8')) as { generation: number; seq: number };
    // As if the process died after renaming the new snapshot, before replacing the journal.
    const stale = [JSON.stringify({ journal: 'core', version: STORE_VERSION, generation: snapshot.generation - 1 }), JSON.stringify({ seq: 1, put: { alerts: [alertRecord('A1', { state: 'resolved' })] } })];
    await fs.writeFile(file('imos.core.jsonl'), stale.join('\n') + '\n');
    const reopened = new JsonStore(storePath);
    const core = await reopened.read('core');
    expect(core.alerts.length).toBe(snapshot.seq);
    expect(core.alerts[0]!.state).toBe('open');
    await reopened.transact('core', (tx) => void tx.put('alerts', alertRecord('A99')));
    expect((await new JsonStore(storePath).read('core')).alerts.at(-1)!.id).toBe('A99');
    await reopened.close();
  });

  it('ignores a line torn by a killed writer; the next writer cuts it off before its own', async () => {
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await fs.appendFile(file('imos.core.jsonl'), '{"seq":2,"put":{"alerts":[{"id":"A2","fing');
    const reader = new JsonStore(storePath);
    expect((await reader.read('core')).alerts.map((a) => a.id)).toEqual(['A1']);
    await reader.transact('core', (tx) => void tx.put('alerts', alertRecord('A3')));
    const journal = await lines('imos.core.jsonl');
    expect(journal.map((l) => (JSON.parse(l) as { seq?: number }).seq ?? 'header')).toEqual(['header', 1, 2]);
    expect((await store.read('core')).alerts.map((a) => a.id)).toEqual(['A1', 'A3']);
    await reader.close();
  });

  it('abandons a write whose lock another process took over while it stalled', async () => {
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    // Stalled past the stale time (stopped with Ctrl-Z, a machine swapping): another process took
    // the lock over meanwhile, as it may once the lock went unrenewed for the stale time.
    const lockDir = `${storePath}.lock`;
    const takenOver = async () => {
      await fs.rm(lockDir, { recursive: true });
      await fs.mkdir(lockDir);
    };
    const slow = new JsonStore(storePath, { lock: { staleMs: 2000 }, beforeWrite: takenOver });
    const before = await fs.readFile(file('imos.core.jsonl'));
    const error = await slow.transact('core', (tx) => void tx.put('alerts', alertRecord('A2'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/gave up writing .*the lock was held for \d+ ms and another process took it over/);
    expect(await fs.readFile(file('imos.core.jsonl'))).toEqual(before);
    // The other process's lock is left to it; nothing else is left behind.
    expect((await fs.stat(lockDir)).isDirectory()).toBe(true);
    await fs.rmdir(lockDir);
    expect((await fs.readdir(path.join(dir, 'data'))).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
    await slow.close();
  });

  it('a reader asking for several things at once gets every record (what the console does first)', async () => {
    await store.transact('core', (tx) => {
      for (let i = 1; i <= 3; i++) tx.put('alerts', alertRecord(`A${i}`));
      tx.audit(entry(1));
    });
    for (let round = 0; round < 5; round++) {
      const reader = new JsonStore(storePath);
      try {
        // The audit read refreshes the core section too: the two must not replay it into two states.
        const [core, audit, again] = await Promise.all([reader.read('core'), reader.readAudit({ limit: 10 }), reader.read('core')]);
        expect(core.alerts.map((a) => a.id)).toEqual(['A1', 'A2', 'A3']);
        expect(again.alerts).toHaveLength(3);
        expect(audit).toHaveLength(1);
      } finally {
        await reader.close();
      }
    }
  });

  it('refuses use after close', async () => {
    await store.close();
    await expect(store.read('core')).rejects.toThrow(/closed/);
  });
});

describe('a change and its audit entries are stored together', () => {
  it('entries of a writer that died before appending them are appended by the next writer, and read meanwhile', async () => {
    await store.transact('core', (tx) => {
      tx.put('alerts', alertRecord('A1'));
      tx.audit(entry(1));
    });
    // As if a writer had appended its line and died before appending the entries to the log.
    await fs.appendFile(file('imos.core.jsonl'), JSON.stringify({ seq: 2, put: { alerts: [alertRecord('A1', { state: 'acknowledged' })] }, audit: [entry(2)] }) + '\n');
    const reader = new JsonStore(storePath);
    expect((await reader.readAudit()).map((e) => [e.target, e.seq])).toEqual([
      ['A1', 1],
      ['A2', 2],
    ]);
    expect(await lines('imos.audit.jsonl')).toHaveLength(1);
    await reader.transact('core', (tx) => tx.audit(entry(3)));
    expect((await lines('imos.audit.jsonl')).map((l) => (JSON.parse(l) as AuditEntry).target)).toEqual(['A1', 'A2', 'A3']);
    expect((await store.readAudit()).map((e) => e.target)).toEqual(['A1', 'A2', 'A3']);
    await reader.close();
  });

  it('a change whose audit log cannot be written is still stored and reported done', async () => {
    await store.transact('core', (tx) => tx.audit(entry(1)));
    await fs.rm(file('imos.audit.jsonl'));
    await fs.mkdir(file('imos.audit.jsonl')); // a directory where the log should be
    await store.transact('core', (tx) => {
      tx.put('alerts', alertRecord('A2'));
      tx.audit(entry(2));
    });
    expect((await new JsonStore(storePath).read('core')).alerts.map((a) => a.id)).toEqual(['A2']);
  });
});

describe('reads the audit log', () => {
  it('the newest entries, oldest first, across chunk boundaries', async () => {
    const all = Array.from({ length: 3000 }, (_, i) => entry(i, new Date(Date.UTC(2026, 0, 5) + i * 1000).toISOString()));
    for (let i = 0; i < all.length; i += 500) await store.transact('core', (tx) => tx.audit(...all.slice(i, i + 500)));
    const everything = await store.readAudit();
    expect(everything).toHaveLength(3000);
    expect((await store.readAudit({ limit: 2 })).map((e) => e.target)).toEqual(['A2998', 'A2999']);
    const since = all[1234]!.at;
    expect((await store.readAudit({ since })).map((e) => e.target)).toEqual(all.slice(1234).map((e) => e.target));
  });

  it('an audit log that opens but cannot be read is a StoreError naming the file', async () => {
    await fs.mkdir(file('imos.audit.jsonl'), { recursive: true });
    const failure = await store.readAudit().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toContain(file('imos.audit.jsonl'));
  });
});

describe('bad files are refused and never overwritten', () => {
  const cases: Array<{ name: string; file: string; text: string; expected: RegExp }> = [
    { name: 'invalid JSON', file: 'imos.json', text: '{"version": 2, "alerts": [', expected: /is not valid JSON/ },
    { name: 'an empty snapshot', file: 'imos.results.json', text: '', expected: /is empty/ },
    { name: 'a future version', file: 'imos.json', text: JSON.stringify({ version: STORE_VERSION + 1 }), expected: /written by a newer imos \(format version 3/ },
    { name: 'an unknown old version', file: 'imos.json', text: JSON.stringify({ version: 0 }), expected: /format version 0, which this imos cannot read/ },
    { name: 'no version', file: 'imos.lease.json', text: '{"holder": null}', expected: /has no format version/ },
    { name: 'not an object', file: 'imos.results.json', text: '[1,2,3]', expected: /does not hold an imos results object/ },
    {
      name: 'a bad record',
      file: 'imos.json',
      text: JSON.stringify({ version: 2, alerts: [{ ...alertRecord('A1'), state: 'exploded' }] }),
      expected: /alerts\[0\]: field state/,
    },
    { name: 'a bad lease holder', file: 'imos.lease.json', text: '{"version":2,"holder":{"pid":"twelve"}}', expected: /field holder\.pid/ },
    {
      name: 'a bad journal line',
      file: 'imos.core.jsonl',
      text: `${JSON.stringify({ journal: 'core', version: 2, generation: 0 })}\n{"seq":1,"put":{"alerts":[{"id":"A1"}]}}\n`,
      expected: /imos\.core\.jsonl line 2: put\.alerts: field fingerprint/,
    },
    {
      name: 'a garbled journal line',
      file: 'imos.core.jsonl',
      text: `${JSON.stringify({ journal: 'core', version: 2, generation: 0 })}\n#!garbage\n{"seq":1}\n`,
      expected: /imos\.core\.jsonl line 2 is not valid JSON/,
    },
    {
      name: 'a missing change',
      file: 'imos.core.jsonl',
      text: `${JSON.stringify({ journal: 'core', version: 2, generation: 0 })}\n{"seq":1}\n{"seq":3}\n`,
      expected: /line 3: change 3 follows change 1/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      await fs.mkdir(path.join(dir, 'data'), { recursive: true });
      await fs.writeFile(file(c.file), c.text);
      const before = await fs.stat(file(c.file), { bigint: true });
      const view = c.file === 'imos.lease.json' ? 'lease' : c.file.startsWith('imos.results') ? 'results' : 'core';
      const readError = await store.read(view).catch((e: unknown) => e);
      expect(readError).toBeInstanceOf(StoreError);
      expect((readError as Error).message).toMatch(c.expected);
      expect((readError as Error).message).toContain(file(c.file));
      if (view !== 'lease') {
        const writeError = await store.transact(view, () => 'never').catch((e: unknown) => e);
        expect((writeError as Error).message).toMatch(c.expected);
      }
      const after = await fs.stat(file(c.file), { bigint: true });
      expect([after.ino, after.mtimeNs, after.size]).toEqual([before.ino, before.mtimeNs, before.size]);
    });
  }
});

describe('records as imos wrote them', () => {
  it('every snapshot and journal line ends in its checksum; a record edited by hand since is checked again and refused', async () => {
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 2048 } });
    for (let i = 1; i <= 20; i++) await small.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
    await small.close();
    const snapshot = await fs.readFile(storePath, 'utf8');
    expect(isSealed(snapshot)).toBe(true);
    const journal = await lines('imos.core.jsonl');
    expect(journal.length).toBeGreaterThan(1);
    for (const line of journal.slice(1)) expect(isSealed(line)).toBe(true);
    expect((await new JsonStore(storePath).read('core')).alerts).toHaveLength(20);

    await fs.writeFile(file('imos.core.jsonl'), [journal[0], ...journal.slice(1).map((l) => l.replace('"state":"open"', '"state":"exploded"'))].join('\n') + '\n');
    const lineError = await new JsonStore(storePath).read('core').catch((e: unknown) => e);
    expect((lineError as Error).message).toMatch(/imos\.core\.jsonl line 2: put\.alerts: field state/);
    await fs.writeFile(storePath, snapshot.replace('"state": "open"', '"state": "exploded"'));
    const snapshotError = await new JsonStore(storePath).read('core').catch((e: unknown) => e);
    expect((snapshotError as Error).message).toMatch(/imos\.json: alerts\[0\]: field state/);
  });
});

describe('store check and repair', () => {
  it('reports every part, the audit log included; repair keeps what is readable', async () => {
    for (let i = 1; i <= 3; i++) {
      await store.transact('core', (tx) => {
        tx.put('alerts', alertRecord(`A${i}`));
        tx.audit(entry(i));
      });
    }
    await fs.appendFile(file('imos.core.jsonl'), '#!garbage\n' + JSON.stringify({ seq: 5 }) + '\n');
    await fs.appendFile(file('imos.audit.jsonl'), 'not json\n{"at":"2026-01-05T00:00:09.000Z","action":"ack"}\n' + JSON.stringify(entry(4)) + '\n');
    const health = await inspectStore(storePath);
    expect(health.map((h) => [h.part, h.problem === null])).toEqual([
      ['core', false],
      ['results', true],
      ['history', true],
      ['lease', true],
      ['audit', false],
    ]);
    expect(health.find((h) => h.part === 'core')!.problem).toMatch(/imos\.core\.jsonl line 5 is not valid JSON/);
    expect(health.find((h) => h.part === 'audit')!.problem).toMatch(/imos\.audit\.jsonl line 4: not valid JSON \(and 1 more bad lines\); 4 readable entries/);

    const actions = await repairStore(storePath, { now: new Date('2026-11-26T05:51:52.123Z') });
    expect(actions.map((a) => [a.part, path.basename(a.keptAs), a.outcome])).toEqual([
      ['core', 'imos.core.jsonl.corrupt-20261126T055152123Z', expect.stringMatching(/kept the changes before the first bad line/)],
      ['audit', 'imos.audit.jsonl.corrupt-20261126T055152123Z', 'kept 4 readable entries, dropped 2 bad lines'],
    ]);
    const reopened = new JsonStore(storePath);
    expect((await reopened.read('core')).alerts.map((a) => a.id)).toEqual(['A1', 'A2', 'A3']);
    expect((await reopened.readAudit()).map((e) => e.target)).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect((await inspectStore(storePath)).every((h) => h.problem === null)).toBe(true);
    expect(await repairStore(storePath)).toEqual([]);
    await reopened.close();
  });

  it('an audit log that is a directory or random bytes is reported, and repaired without losing the store', async () => {
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await fs.mkdir(file('imos.audit.jsonl'));
    expect((await inspectStore(storePath)).find((h) => h.part === 'audit')!.problem).toMatch(/is not a regular file/);
    const [action] = await repairStore(storePath);
    expect(action!.outcome).toBe('the audit log starts empty');
    await fs.writeFile(file('imos.audit.jsonl'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0a, 0xff, 0x0a]));
    expect((await inspectStore(storePath)).find((h) => h.part === 'audit')!.problem).toMatch(/line 1: not valid JSON/);
    await repairStore(storePath);
    expect((await new JsonStore(storePath).read('core')).alerts.map((a) => a.id)).toEqual(['A1']);
  });
});

describe('a store of format version 1', () => {
  it('is converted on first open, the old files kept beside', async () => {
    await fs.mkdir(path.join(dir, 'data'), { recursive: true });
    const v1Core = {
      version: 1,
      nextAlertNumber: 3,
      alerts: [alertRecord('A1'), alertRecord('A2', { state: 'acknowledged' })],
      outbox: [],
      standups: [],
      snapshots: [{ at: '2026-01-05T00:00:00.000Z', tablesDone: 1, tablesTotal: 2, systemsDone: 0, systemsTotal: 1, tasksDone: 0, tasksTotal: 0 }],
      control: { paused: true, pausedBy: 'ann', runNowRequestedAt: null },
      extra: { alerts: { outboxSeq: 7 } },
    };
    const point = { at: '2026-01-05T00:00:00.000Z', status: 'ok', value: 1, durationMs: 2 };
    const v1Results = {
      version: 1,
      checks: { db: { last: null, history: [point, point], failures: 0, successes: 2, status: 'ok', since: null } },
      lastPollAt: '2026-01-05T00:00:00.000Z',
    };
    await fs.writeFile(storePath, JSON.stringify(v1Core, null, 2));
    await fs.writeFile(file('imos.results.json'), JSON.stringify(v1Results));
    await fs.writeFile(file('imos.lease.json'), JSON.stringify({ version: 1, holder: null }));
    const core = await store.read('core');
    expect(core.alerts.map((a) => [a.id, a.state])).toEqual([
      ['A1', 'open'],
      ['A2', 'acknowledged'],
    ]);
    expect(core.control.paused).toBe(true);
    expect(core.kv.get('nextAlertNumber')).toBe(3);
    expect(core.kv.get('alerts')).toEqual({ outboxSeq: 7 });
    expect(core.snapshots).toHaveLength(1);
    expect((await store.read('results')).checks.db!.successes).toBe(2);
    expect((await store.read('history')).history.db).toHaveLength(2);
    expect((await store.read('lease')).holder).toBeNull();
    expect(JSON.parse(await fs.readFile(`${storePath}.v1`, 'utf8'))).toEqual(v1Core);
    expect(JSON.parse(await fs.readFile(file('imos.results.json.v1'), 'utf8'))).toEqual(v1Results);
    expect((JSON.parse(await fs.readFile(storePath, 'utf8')) as { version: number }).version).toBe(STORE_VERSION);
    // Opened again: nothing to convert, nothing lost.
    const again = new JsonStore(storePath);
    expect((await again.read('core')).alerts).toHaveLength(2);
    await again.close();
  });
});

describe('openStore', () => {
  it('opens a JSON store for a path', async () => {
    const opened = await openStore(storePath);
    expect(opened.location).toBe(storePath);
    expect(opened.kind).toBe('json');
    await opened.close();
  });

  it('refuses a directory and an empty path', async () => {
    await fs.mkdir(path.join(dir, 'data'), { recursive: true });
    await expect(openStore(path.join(dir, 'data'))).rejects.toThrow(/is a directory/);
    await expect(openStore('  ')).rejects.toThrow(/no store path given/);
  });
});
