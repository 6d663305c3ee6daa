// What only the JSON store does: files, journals, compaction, torn lines, old formats, audit
// reconciliation, repairs. The shared contract is in store.contract.test.ts.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../model.js';
import { JsonStore } from './json-store.js';
import { readSnapshotHead } from './journal.js';
import { openStore } from './open.js';
import { inspectStore, repairStore } from './repair.js';
import { isSealed, seal } from './seal.js';
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
/** The core section as a store opened for this one read sees it (closed after). */
const readCoreOnce = async () => {
  const once = new JsonStore(storePath);
  try {
    return await once.read('core');
  } finally {
    await once.close();
  }
};
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
    expect((await readCoreOnce()).alerts.at(-1)!.id).toBe('A99');
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

describe('a reader following a writer that compacts', () => {
  const generationOnDisk = async () => (JSON.parse(await fs.readFile(storePath, 'utf8')) as { generation: number }).generation;

  // A compaction folds in the line its writer has just appended, which a reader has not read yet.
  // The reader reads the rest of the replaced journal (its file still open) and then only the new
  // snapshot's head: the records it holds stay the same objects (nothing was parsed again).
  it('keeps the records it holds when the new snapshot holds nothing newer, even one line behind', async () => {
    const writer = new JsonStore(storePath, { journal: { compactMinBytes: 4096 } });
    const reader = new JsonStore(storePath);
    await writer.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    const before = await reader.read('core');
    const held = before.alerts[0]!;
    const generation = await generationOnDisk().catch(() => 0);
    // Written while the reader does not look, up to and including a compaction.
    for (let i = 2; i <= 60 && (await generationOnDisk().catch(() => 0)) === generation; i++) {
      await writer.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
    }
    expect(await generationOnDisk()).toBeGreaterThan(generation);
    await writer.transact('core', (tx) => void tx.put('alerts', alertRecord('A99', { state: 'acknowledged', acknowledgedBy: 'ann', acknowledgedAt: new Date().toISOString() })));
    const after = await reader.read('core');
    expect(after.alerts[0]).toBe(held);
    const fresh = new JsonStore(storePath);
    expect(after.alerts).toEqual((await fresh.read('core')).alerts);
    expect(after.seq).toBe((await fresh.read('core')).seq);
    await Promise.all([writer.close(), reader.close(), fresh.close()]);
  });

  it('reads no more than the head of a snapshot that holds nothing newer than its records', async () => {
    const writer = new JsonStore(storePath, { journal: { compactMinBytes: 4096 } });
    const reader = new JsonStore(storePath);
    await writer.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await reader.read('core');
    const generation = await generationOnDisk().catch(() => 0);
    // The reader follows every change up to the one whose writer compacted.
    for (let i = 2; i <= 60; i++) {
      await writer.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
      if ((await generationOnDisk().catch(() => 0)) !== generation) break;
      await reader.read('core');
    }
    expect(await generationOnDisk()).toBeGreaterThan(generation);
    // How the test sees what was read: the records after the head no longer parse, and a reader
    // that would parse them would fail (a fresh one does).
    const text = await fs.readFile(storePath, 'utf8');
    await fs.writeFile(storePath, text.slice(0, text.indexOf('"alerts"')) + '"alerts": [ this is not JSON');
    await writer.transact('core', (tx) => void tx.put('alerts', alertRecord('A99')));
    expect((await reader.read('core')).alerts.at(-1)!.id).toBe('A99');
    await expect(readCoreOnce()).rejects.toThrow(/imos\.json is not valid JSON/);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('reads a snapshot whole when it holds changes the reader never saw (its journal was gone)', async () => {
    const writer = new JsonStore(storePath, { journal: { compactMinBytes: 1024 } });
    const reader = new JsonStore(storePath);
    await writer.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await reader.read('core');
    // Two compactions while the reader does not look: the journal it had open is not the one
    // replaced last, and the lines between are only in the snapshot.
    const start = await generationOnDisk().catch(() => 0);
    for (let i = 2; i <= 200 && (await generationOnDisk().catch(() => 0)) < start + 2; i++) {
      await writer.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
    }
    await writer.transact('core', (tx) => void tx.put('alerts', alertRecord('A1', { state: 'resolved', resolvedAt: new Date().toISOString(), resolvedBy: 'ann' })));
    const fresh = new JsonStore(storePath);
    const expected = await fresh.read('core');
    const after = await reader.read('core');
    expect(after.seq).toBe(expected.seq);
    expect(after.alerts).toEqual(expected.alerts);
    await Promise.all([writer.close(), reader.close(), fresh.close()]);
  });

  it("a snapshot's head tells its generation and last change; a head not as imos writes it is read whole", async () => {
    expect(await readSnapshotHead('core', storePath)).toEqual({ generation: 0, seq: 0, size: 0 });
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 1024 } });
    for (let i = 1; i <= 20; i++) {
      await small.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`)));
      await small.transact('results', (tx) => void tx.put('checks', { id: `c${i}`, last: null, failures: 0, successes: 0, status: 'pending', since: null }));
    }
    await small.close();
    for (const [section, name] of [['core', 'imos.json'], ['results', 'imos.results.json']] as const) {
      const text = await fs.readFile(file(name), 'utf8');
      const whole = JSON.parse(text) as { generation: number; seq: number };
      expect(whole.generation).toBeGreaterThan(0);
      expect(await readSnapshotHead(section, file(name))).toEqual({ generation: whole.generation, seq: whole.seq, size: Buffer.byteLength(text) });
    }
    const core = JSON.parse(await fs.readFile(storePath, 'utf8')) as Record<string, unknown>;
    const { seq, ...rest } = core;
    await fs.writeFile(storePath, JSON.stringify({ seq, ...rest }, null, 2));
    expect(await readSnapshotHead('core', storePath)).toBeNull();
    await fs.writeFile(storePath, JSON.stringify({ ...core, version: STORE_VERSION + 1 }, null, 2));
    await expect(readSnapshotHead('core', storePath)).rejects.toThrow(/written by a newer imos/);
  });

  it('lets go of the journals it kept open when it is closed', async ({ skip }) => {
    skip(!existsSync('/proc/self/fd'), 'open files are counted in /proc/self/fd, which this system does not have');
    const reader = new JsonStore(storePath);
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await store.transact('results', (tx) => void tx.put('checks', { id: 'c', last: null, failures: 0, successes: 0, status: 'pending', since: null }));
    await reader.read('core');
    await reader.read('results');
    const open = async () => {
      const links = await Promise.all((await fs.readdir('/proc/self/fd')).map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return links.filter((link) => link.startsWith(path.join(dir, 'data'))).length;
    };
    expect(await open()).toBeGreaterThan(0);
    await Promise.all([reader.close(), store.close()]);
    expect(await open()).toBe(0);
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
    expect((await reader.readAudit({ target: 'A2' })).map((e) => [e.target, e.seq])).toEqual([['A2', 2]]);
    expect((await reader.readAudit({ target: 'A1' })).map((e) => [e.target, e.seq])).toEqual([['A1', 1]]);
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
    expect((await readCoreOnce()).alerts.map((a) => a.id)).toEqual(['A2']);
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
    // One target's entries, however far back the log holds them.
    expect(await store.readAudit({ target: 'A5' })).toEqual([expect.objectContaining(all[5])]);
    expect(await store.readAudit({ target: 'A5', limit: 1, since: all[4]!.at })).toEqual([expect.objectContaining(all[5])]);
    expect(await store.readAudit({ target: 'A5', since: all[6]!.at })).toEqual([]);
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
    { name: "another section's snapshot", file: 'imos.results.json', text: JSON.stringify({ version: 2, section: 'core' }), expected: /holds the core section, not results/ },
    {
      // An object whose toString is not a function: naming it must not throw a TypeError instead.
      name: 'a section that is not a name',
      file: 'imos.results.json',
      text: JSON.stringify({ version: 2, section: { toString: ['x'] } }),
      expected: /holds the \{"toString":\["x"\]\} section, not results/,
    },
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
    expect((await readCoreOnce()).alerts).toHaveLength(20);

    await fs.writeFile(file('imos.core.jsonl'), [journal[0], ...journal.slice(1).map((l) => l.replace('"state":"open"', '"state":"exploded"'))].join('\n') + '\n');
    const lineError = await readCoreOnce().catch((e: unknown) => e);
    expect((lineError as Error).message).toMatch(/imos\.core\.jsonl line 2: put\.alerts: field state/);
    await fs.writeFile(storePath, snapshot.replace('"state": "open"', '"state": "exploded"'));
    const snapshotError = await readCoreOnce().catch((e: unknown) => e);
    expect((snapshotError as Error).message).toMatch(/imos\.json: alerts\[0\]: field state/);
  });

  it('a sealed snapshot is summed as its bytes: text beyond ASCII is taken as written, and an edit of it is refused', async () => {
    await fs.mkdir(path.dirname(storePath), { recursive: true });
    // A record no imos would store (an unknown state): only a matching checksum lets it through.
    const alert = { ...alertRecord('A1'), state: 'exploded', message: 'Tōkyō — 東京 ✓ 🚨' };
    const text = `${seal(JSON.stringify({ version: STORE_VERSION, section: 'core', generation: 1, seq: 1, alerts: [alert] }, null, 2))}\n`;
    await fs.writeFile(storePath, text);
    expect((await readCoreOnce()).alerts).toEqual([alert]);
    await fs.writeFile(storePath, text.replace('東京', '大阪'));
    expect(((await readCoreOnce().catch((e: unknown) => e)) as Error).message).toMatch(/imos\.json: alerts\[0\]: field state/);
  });
});

describe('changes and snapshots longer than what is read at a time', () => {
  // About 170 KB of characters of two, three and four bytes: a line of it spans several pieces read.
  const long = (i: number) => `${i}: ${'ünï 東京 ✓ 😀 '.repeat(8_000 + i)}`;

  it('a reader loaded before follows them, a fresh one loads them, a torn one waits for its end and is cut off', async () => {
    const reader = new JsonStore(storePath);
    await reader.read('core');
    await store.transact('core', (tx) => {
      tx.put('alerts', alertRecord('A1', { message: long(1) }));
      tx.put('alerts', alertRecord('A2', { message: long(2) }));
    });
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A3')));
    const messages = [long(1), long(2), 'alert A3'];
    expect((await reader.read('core')).alerts.map((a) => a.message)).toEqual(messages);
    expect((await readCoreOnce()).alerts.map((a) => a.message)).toEqual(messages);

    // A writer killed while appending a long line left 100,000 bytes of it.
    const killed = new JsonStore(storePath);
    await killed.transact('core', (tx) => void tx.put('alerts', alertRecord('A4', { message: long(4) })));
    await killed.close();
    const journal = await fs.readFile(file('imos.core.jsonl'));
    const lastStart = journal.lastIndexOf(0x0a, journal.length - 2) + 1;
    await fs.truncate(file('imos.core.jsonl'), lastStart + 100_000);
    expect((await reader.read('core')).alerts.map((a) => a.message)).toEqual(messages);
    expect((await readCoreOnce()).alerts.map((a) => a.message)).toEqual(messages);
    await reader.transact('core', (tx) => void tx.put('alerts', alertRecord('A5')));
    expect((await readCoreOnce()).alerts.map((a) => a.id)).toEqual(['A1', 'A2', 'A3', 'A5']);
    expect((await lines('imos.core.jsonl')).map((l) => (JSON.parse(l) as { seq?: number }).seq ?? 'header')).toEqual(['header', 1, 2, 3]);
    await reader.close();
  });

  it('a long line edited by hand is checked and refused, and a line after it is named by its number', async () => {
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1', { message: long(1) })));
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A2')));
    const journal = await lines('imos.core.jsonl');
    expect(isSealed(journal[1]!)).toBe(true);
    await fs.writeFile(file('imos.core.jsonl'), [journal[0], journal[1], journal[2]!.replace('"state":"open"', '"state":"exploded"')].join('\n') + '\n');
    expect(((await readCoreOnce().catch((e: unknown) => e)) as Error).message).toMatch(/imos\.core\.jsonl line 3: put\.alerts: field state/);
    await fs.writeFile(file('imos.core.jsonl'), [journal[0], journal[1]!.replace('"state":"open"', '"state":"exploded"'), journal[2]].join('\n') + '\n');
    expect(((await readCoreOnce().catch((e: unknown) => e)) as Error).message).toMatch(/imos\.core\.jsonl line 2: put\.alerts: field state/);
  });

  it('a snapshot of them is written and read back whole, sealed', async () => {
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 4096 } });
    for (let i = 1; i <= 4; i++) await small.transact('core', (tx) => void tx.put('alerts', alertRecord(`A${i}`, { message: long(i) })));
    await small.close();
    const snapshot = await fs.readFile(storePath, 'utf8');
    expect(Buffer.byteLength(snapshot)).toBeGreaterThan(3 * 64 * 1024);
    expect(isSealed(snapshot)).toBe(true);
    expect((JSON.parse(snapshot) as { alerts: unknown[] }).alerts.length).toBeGreaterThan(1);
    expect((await readCoreOnce()).alerts.map((a) => a.message)).toEqual([1, 2, 3, 4].map(long));
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
    expect((await readCoreOnce()).alerts.map((a) => a.id)).toEqual(['A1']);
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

  it('names a section file that is not a regular file, before converting anything', async () => {
    await fs.mkdir(file('imos.results.json'), { recursive: true });
    await expect(store.read('core')).rejects.toThrow(`${file('imos.results.json')} is not a regular file`);
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

describe('history points added by a one-shot command that has not read the section', () => {
  const point = (i: number) => ({ at: new Date(Date.UTC(2026, 0, 5, 0, i)).toISOString(), status: 'ok' as const, value: i, durationMs: i });
  const add = (s: JsonStore, i: number) => s.transact('history', (tx) => tx.appendHistory('db', [point(i)], 3));
  const journalSeqs = async () => (await lines('imos.history.jsonl')).slice(1).map((l) => (JSON.parse(l) as { seq: number }).seq);
  const pointsOnce = async () => {
    const once = new JsonStore(storePath);
    try {
      return (await once.read('history')).history.db?.map((p) => p.value);
    } finally {
      await once.close();
    }
  };

  it('are appended without reading it: the last change in the journal gives the next one its number', async () => {
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 512 } });
    for (let i = 1; i <= 10; i++) await add(small, i);
    await small.close();
    const head = await readSnapshotHead('history', file('imos.history.json'));
    expect(head!.seq).toBeGreaterThan(0);
    for (let i = 11; i <= 12; i++) await add(store, i);
    const before = await journalSeqs();
    expect(before.length).toBeGreaterThan(0);

    // The snapshot's records made unreadable (its head kept): a process that read them would fail.
    const snapshot = await fs.readFile(file('imos.history.json'), 'utf8');
    await fs.writeFile(file('imos.history.json'), snapshot.slice(0, -40) + '#');
    // A long-running process (the daemon) reads the section at its first change, as it always did.
    const daemon = new JsonStore(storePath);
    await expect(add(daemon, 13)).rejects.toThrow(/imos\.history\.json/);
    await daemon.close();
    const oneShot = new JsonStore(storePath, { appendUnreadHistory: true });
    await add(oneShot, 13);
    await oneShot.close();
    expect(await journalSeqs()).toEqual([...before, before.at(-1)! + 1]);

    // Readers apply it as any change, keeping the newest three points.
    await fs.writeFile(file('imos.history.json'), snapshot);
    expect(await pointsOnce()).toEqual([11, 12, 13]);
  });

  it('cut off a line torn by a killed writer, and number theirs after the snapshot when the journal is empty', async () => {
    const small = new JsonStore(storePath, { journal: { compactMinBytes: 256 } });
    for (let i = 1; i <= 6; i++) await add(small, i);
    await small.close();
    const head = (await readSnapshotHead('history', file('imos.history.json')))!;
    expect(await journalSeqs()).toEqual([]); // compacted after the last change
    await fs.appendFile(file('imos.history.jsonl'), '{"seq":7,"append":[{"id":"db","poi');
    const oneShot = new JsonStore(storePath, { appendUnreadHistory: true });
    await add(oneShot, 7);
    await oneShot.close();
    expect(await journalSeqs()).toEqual([head.seq + 1]);
    expect(await pointsOnce()).toEqual([5, 6, 7]);
  });

  it('are stored the usual way, and the journal folded, once the journal is due to be folded into a new snapshot', async () => {
    for (let i = 1; i <= 5; i++) await add(store, i);
    expect(await journalSeqs()).toEqual([1, 2, 3, 4, 5]);
    // The fault tests' hook runs once for the one write, though the append fell back to the usual path.
    let hooked = 0;
    const folding = new JsonStore(storePath, { journal: { compactMinBytes: 64 }, appendUnreadHistory: true, beforeWrite: async () => void hooked++ });
    await add(folding, 6);
    await folding.close();
    expect(hooked).toBe(1);
    expect(await journalSeqs()).toEqual([]);
    expect((await readSnapshotHead('history', file('imos.history.json')))!.seq).toBe(6);
    expect(await pointsOnce()).toEqual([4, 5, 6]);
  });

  it('are stored the usual way when the transaction reads a record, or the journal is not as imos writes it', async () => {
    await add(store, 1);
    const reading = new JsonStore(storePath, { appendUnreadHistory: true });
    await reading.transact('history', (tx) => {
      expect(tx.get('history', 'db')?.points).toHaveLength(1);
      tx.appendHistory('db', [point(2)], 3);
    });
    await reading.close();
    expect(await pointsOnce()).toEqual([1, 2]);

    // A last line that is not JSON (edited by hand): refused, naming the file, and nothing is written after it.
    const journal = await fs.readFile(file('imos.history.jsonl'), 'utf8');
    const broken = journal.replace(/"seq":2,/, '"seq":2,,');
    await fs.writeFile(file('imos.history.jsonl'), broken);
    const oneShot = new JsonStore(storePath, { appendUnreadHistory: true });
    await expect(add(oneShot, 3)).rejects.toThrow(/imos\.history\.jsonl line 3 is not valid JSON/);
    await oneShot.close();
    expect(await fs.readFile(file('imos.history.jsonl'), 'utf8')).toBe(broken);
  });
});
