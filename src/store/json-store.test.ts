import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../model.js';
import { JsonStore } from './json-store.js';
import { openStore } from './open.js';
import { inspectStore, repairStore } from './repair.js';
import { emptySection, STORE_VERSION, StoreError } from './types.js';

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

describe('JsonStore basics', () => {
  it('reads empty sections before anything exists, without creating files', async () => {
    expect(await store.read('core')).toEqual(emptySection('core'));
    expect(await store.read('lease')).toEqual(emptySection('lease'));
    await expect(fs.stat(path.join(dir, 'data'))).rejects.toThrow();
  });

  it('creates the directory and the section files beside the configured path on update', async () => {
    await store.update('core', (d) => {
      d.extra.a = 1;
    });
    await store.update('results', (d) => {
      d.lastPollAt = '2026-01-05T00:00:00.000Z';
    });
    await store.update('lease', () => {});
    await store.appendAudit([{ at: '2026-01-05T00:00:00.000Z', actor: 'ann', action: 'ack', target: 'A1' }]);
    const names = (await fs.readdir(path.join(dir, 'data'))).sort();
    expect(names).toEqual(['imos.audit.jsonl', 'imos.json', 'imos.lease.json', 'imos.results.json']);
    // core is indented for people; the hot results file is compact.
    expect(await fs.readFile(file('imos.json'), 'utf8')).toContain('\n  "version": 1');
    expect((await fs.readFile(file('imos.results.json'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('derives the other names from a configured base name', async () => {
    const other = new JsonStore(path.join(dir, 'team.json'));
    await other.update('results', () => {});
    expect(await fs.readdir(dir)).toContain('team.results.json');
    await other.close();
  });

  it('returns copies the caller may mutate, and reads its own writes', async () => {
    await store.update('core', (d) => {
      d.extra.list = [1, 2];
    });
    const first = await store.read('core');
    (first.extra.list as number[]).push(3);
    const second = await store.read('core');
    expect(second.extra.list).toEqual([1, 2]);
    expect(second).not.toBe(first);
  });

  it('returns the value of fn and writes nothing when fn throws', async () => {
    expect(await store.update('core', (d) => ((d.nextAlertNumber = 7), 'seven'))).toBe('seven');
    const before = await fs.readFile(storePath);
    await expect(
      store.update('core', (d) => {
        d.nextAlertNumber = 99;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await fs.readFile(storePath)).toEqual(before);
    expect((await store.read('core')).nextAlertNumber).toBe(7);
  });

  it('refuses to write data the next reader would refuse', async () => {
    await store.update('core', () => {});
    const before = await fs.readFile(storePath);
    const error = await store
      .update('core', (d) => {
        (d as unknown as { alerts: unknown }).alerts = 'not a list';
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(storePath);
    expect((error as Error).message).toContain('field alerts');
    expect(await fs.readFile(storePath)).toEqual(before);
  });

  it('keeps fields it does not know about (loose schemas never strip data)', async () => {
    await store.update('core', (d) => {
      (d as unknown as Record<string, unknown>).futureField = { kept: true };
    });
    await store.update('core', (d) => {
      d.nextAlertNumber = 2;
    });
    expect(JSON.parse(await fs.readFile(storePath, 'utf8')).futureField).toEqual({ kept: true });
  });

  it('leaves no temp files behind', async () => {
    for (let i = 0; i < 5; i++) {
      await store.update('results', (d) => {
        d.lastPollAt = new Date(i).toISOString();
      });
    }
    expect((await fs.readdir(path.join(dir, 'data'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('skips the write when an update changes nothing', async () => {
    await store.update('core', () => {});
    const before = await fs.stat(storePath, { bigint: true });
    await store.update('core', () => {});
    const after = await fs.stat(storePath, { bigint: true });
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeNs).toBe(before.mtimeNs);
  });

  it('runs concurrent updates from one process one after another', async () => {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.update('core', (d) => {
          d.extra.n = ((d.extra.n as number) ?? 0) + 1;
        }),
      ),
    );
    expect((await store.read('core')).extra.n).toBe(50);
  });

  it('abandons a write that held the lock so long another process may have taken it', async () => {
    const slow = new JsonStore(storePath, { lock: { staleMs: 2000 } });
    await slow.update('core', (d) => {
      d.extra.v = 1;
    });
    const before = await fs.readFile(storePath);
    const error = await slow
      .update('core', async (d) => {
        d.extra.v = 2;
        await new Promise((resolve) => setTimeout(resolve, 1100));
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/gave up writing .*the lock was held for \d+ ms \(limit 1000 ms\)/);
    expect(await fs.readFile(storePath)).toEqual(before);
    expect((await fs.readdir(path.join(dir, 'data'))).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
    await slow.close();
  });

  it('refuses use after close', async () => {
    await store.close();
    await expect(store.read('core')).rejects.toThrow(/closed/);
  });
});

describe('bad files are refused and never overwritten', () => {
  const cases: Array<{ name: string; section: 'core' | 'results' | 'lease'; text: string; expected: RegExp }> = [
    { name: 'invalid JSON', section: 'core', text: '{"version": 1, "alerts": [', expected: /is not valid JSON/ },
    { name: 'a truncated file', section: 'results', text: '{"version":1,"checks":{"a":{"last":nu', expected: /is not valid JSON/ },
    { name: 'an empty file', section: 'lease', text: '', expected: /is empty/ },
    { name: 'a future version', section: 'core', text: JSON.stringify({ ...emptySection('core'), version: STORE_VERSION + 1 }), expected: /written by a newer imos \(format version 2/ },
    { name: 'an unknown old version', section: 'core', text: JSON.stringify({ ...emptySection('core'), version: 0 }), expected: /format version 0, which this imos cannot read/ },
    { name: 'no version', section: 'lease', text: '{"holder": null}', expected: /has no format version/ },
    { name: 'not an object', section: 'results', text: '[1,2,3]', expected: /does not hold an imos results object/ },
    {
      name: 'a bad shape',
      section: 'core',
      text: JSON.stringify({
        ...emptySection('core'),
        alerts: [{ id: 'A1', fingerprint: 'f', checkId: 'c', system: 's', type: 't', severity: 'HIGH', state: 'exploded', message: '', count: 1, openedAt: 'x', lastSeenAt: 'x' }],
      }),
      expected: /field alerts\[0\]\.state/,
    },
    { name: 'a bad lease holder', section: 'lease', text: '{"version":1,"holder":{"pid":"twelve"}}', expected: /field holder\.pid/ },
  ];

  for (const c of cases) {
    it(`${c.name} (${c.section})`, async () => {
      const name = { core: 'imos.json', results: 'imos.results.json', lease: 'imos.lease.json' }[c.section];
      await fs.mkdir(path.join(dir, 'data'), { recursive: true });
      await fs.writeFile(file(name), c.text);
      const before = await fs.readFile(file(name));
      const beforeStat = await fs.stat(file(name), { bigint: true });

      const readError = await store.read(c.section).catch((e: unknown) => e);
      expect(readError).toBeInstanceOf(StoreError);
      expect((readError as Error).message).toMatch(c.expected);
      expect((readError as Error).message).toContain(file(name));
      expect((readError as StoreError).file).toBe(file(name));

      const updateError = await store.update(c.section, () => 'never').catch((e: unknown) => e);
      expect(updateError).toBeInstanceOf(StoreError);
      expect((updateError as Error).message).toMatch(c.expected);

      expect(await fs.readFile(file(name))).toEqual(before);
      const afterStat = await fs.stat(file(name), { bigint: true });
      expect(afterStat.ino).toBe(beforeStat.ino);
      expect(afterStat.mtimeNs).toBe(beforeStat.mtimeNs);
    });
  }

  it('inspectStore reports each file; repairStore keeps a copy and starts fresh', async () => {
    await store.update('core', (d) => {
      d.extra.keep = 'me';
    });
    await fs.writeFile(file('imos.results.json'), '{"version":1,"checks":');
    const coreBefore = await fs.readFile(storePath);

    const health = await inspectStore(storePath);
    expect(health.map((h) => [h.section, h.exists, h.problem === null])).toEqual([
      ['core', true, true],
      ['results', true, false],
      ['lease', false, true],
    ]);

    const actions = await repairStore(storePath, { now: new Date('2026-11-26T05:51:52.123Z') });
    expect(actions).toHaveLength(1);
    expect(actions[0]!.section).toBe('results');
    expect(actions[0]!.keptAs).toBe(file('imos.results.json.corrupt-20261126T055152123Z'));
    expect(actions[0]!.problem).toMatch(/not valid JSON/);
    expect(await fs.readFile(actions[0]!.keptAs, 'utf8')).toBe('{"version":1,"checks":');
    expect(await store.read('results')).toEqual(emptySection('results'));
    expect(await fs.readFile(storePath)).toEqual(coreBefore);

    // A second repair in the same millisecond of a newly broken file keeps both copies.
    await fs.writeFile(file('imos.results.json'), 'garbage');
    const again = await repairStore(storePath, { now: new Date('2026-11-26T05:51:52.123Z') });
    expect(again[0]!.keptAs).toBe(file('imos.results.json.corrupt-20261126T055152123Z-2'));
    expect(await repairStore(storePath)).toEqual([]);
  });
});

describe('audit log', () => {
  const entry = (i: number, at = new Date(Date.UTC(2026, 0, 5, 0, 0, i)).toISOString()): AuditEntry => ({
    at,
    actor: 'ann',
    action: 'ack',
    target: `A${i}`,
    note: i % 7 === 0 ? 'línea con ünïcode ✓ and a\nnewline' : undefined,
  });

  it('appends and reads the newest entries, oldest first', async () => {
    expect(await store.readAudit()).toEqual([]);
    await store.appendAudit([entry(1), entry(2)]);
    await store.appendAudit([entry(3)]);
    expect((await store.readAudit()).map((e) => e.target)).toEqual(['A1', 'A2', 'A3']);
    expect((await store.readAudit({ limit: 2 })).map((e) => e.target)).toEqual(['A2', 'A3']);
    expect((await store.readAudit({ since: entry(2).at })).map((e) => e.target)).toEqual(['A2', 'A3']);
    expect((await store.readAudit({ since: entry(2).at, limit: 1 })).map((e) => e.target)).toEqual(['A3']);
  });

  it('reads the tail of a long log across chunk boundaries', async () => {
    const all = Array.from({ length: 3000 }, (_, i) => entry(i, new Date(Date.UTC(2026, 0, 5) + i * 1000).toISOString()));
    await store.appendAudit(all);
    expect((await fs.stat(file('imos.audit.jsonl'))).size).toBeGreaterThan(3 * 64 * 1024);
    const everything = await store.readAudit();
    expect(everything).toHaveLength(3000);
    expect(everything.map((e) => e.target)).toEqual(all.map((e) => e.target));
    expect(everything[7]!.note).toBe('línea con ünïcode ✓ and a\nnewline');
    expect((await store.readAudit({ limit: 5 })).map((e) => e.target)).toEqual(['A2995', 'A2996', 'A2997', 'A2998', 'A2999']);
    const since = all[1234]!.at;
    expect((await store.readAudit({ since })).map((e) => e.target)).toEqual(all.slice(1234).map((e) => e.target));
  });

  it('an audit log that opens but cannot be read is a StoreError naming the file (it was a bare EISDIR)', async () => {
    await fs.mkdir(file('imos.audit.jsonl'), { recursive: true });
    const failure = await store.readAudit().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toMatch(/^cannot read .*imos\.audit\.jsonl: EISDIR/);
  });

  it('ignores a line torn by a crash, and the next append starts on its own line', async () => {
    await store.appendAudit([entry(1)]);
    await fs.appendFile(file('imos.audit.jsonl'), '{"at":"2026-01-05T00:00:09.000Z","actor":"bo');
    expect((await store.readAudit()).map((e) => e.target)).toEqual(['A1']);
    await store.appendAudit([entry(2)]);
    expect((await store.readAudit()).map((e) => e.target)).toEqual(['A1', 'A2']);
  });
});

describe('openStore', () => {
  it('opens a JSON store for a path', async () => {
    const opened = await openStore(storePath);
    expect(opened.location).toBe(storePath);
    await opened.close();
  });

  it('refuses PostgreSQL URLs for now, without showing the password', async () => {
    const error = await openStore('postgres://ops:s3cret@db.example/imos').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/PostgreSQL stores are not supported yet/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses a directory and an empty path', async () => {
    await expect(openStore(dir)).rejects.toThrow(/is a directory/);
    await expect(openStore('  ')).rejects.toThrow(/no store path/);
  });
});
