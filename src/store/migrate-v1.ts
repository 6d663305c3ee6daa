// Stores written by imos before format version 2 kept each section as one JSON document rewritten
// whole on every change. The first process of the new version to open such a store converts it,
// under the section's lock, into snapshots of records (the journals start empty); the old file is
// kept beside it as `<file>.v1` first. Each file is converted on its own and the conversion can run
// again after a crash at any point: a file already at version 2 is left alone.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { fsyncDirectory, readFileHead, readSnapshot, writeFileAtomic } from './atomic-file.js';
import { serializeSnapshot } from './journal.js';
import { withFileLock, type LockOptions } from './lock.js';
import type { StorePaths } from './paths.js';
import { recordProblem, type CollectionName } from './records.js';
import { SectionState } from './state.js';
import { CONTROL_KEY, StoreError } from './types.js';

/** The version a section file declares, or null when it does not exist. */
async function versionOf(file: string): Promise<{ version: unknown; raw: Record<string, unknown> } | null> {
  const snapshot = await readSnapshot(file);
  if (!snapshot) return null;
  try {
    const raw = JSON.parse(snapshot.text) as unknown;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { version: undefined, raw: {} };
    return { version: (raw as { version?: unknown }).version, raw: raw as Record<string, unknown> };
  } catch {
    return { version: undefined, raw: {} }; // the normal reader reports the problem with the file's name
  }
}

async function keepCopy(file: string): Promise<void> {
  try {
    await fs.copyFile(file, `${file}.v1`, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new StoreError(`cannot keep a copy of ${file} before converting it: ${(error as Error).message}; nothing was changed`, file);
    }
  }
  const copy = await fs.open(`${file}.v1`, 'r+');
  await copy.sync().finally(() => copy.close());
}

function list(raw: Record<string, unknown>, field: string, file: string): unknown[] {
  const value = raw[field] ?? [];
  if (!Array.isArray(value)) throw new StoreError(`${file}: field ${field}: expected an array (format version 1); the file was left untouched`, file);
  return value;
}

function checked(collection: CollectionName, records: unknown[], file: string, field: string): unknown[] {
  records.forEach((record, index) => {
    const problem = recordProblem(collection, record);
    if (problem) throw new StoreError(`${file}: ${field}[${index}]: ${problem}; the file was left untouched`, file);
  });
  return records;
}

async function migrateCore(paths: StorePaths, lock: LockOptions): Promise<void> {
  const file = paths.sections.core.snapshot;
  await withFileLock(file, lock, async () => {
    const found = await versionOf(file);
    if (!found || found.version !== 1) return;
    const raw = found.raw;
    const kv: Array<{ key: string; value: unknown }> = [];
    if (raw.control && typeof raw.control === 'object') kv.push({ key: CONTROL_KEY, value: raw.control });
    if (typeof raw.nextAlertNumber === 'number') kv.push({ key: 'nextAlertNumber', value: raw.nextAlertNumber });
    const extra = raw.extra && typeof raw.extra === 'object' && !Array.isArray(raw.extra) ? (raw.extra as Record<string, unknown>) : {};
    for (const [key, value] of Object.entries(extra)) kv.push({ key, value });
    const state = new SectionState('core');
    state.load(0, {
      alerts: checked('alerts', list(raw, 'alerts', file), file, 'alerts') as never,
      outbox: checked('outbox', list(raw, 'outbox', file), file, 'outbox') as never,
      standups: checked('standups', list(raw, 'standups', file), file, 'standups') as never,
      snapshots: checked('snapshots', list(raw, 'snapshots', file), file, 'snapshots') as never,
      kv,
    });
    await keepCopy(file);
    await fs.rm(paths.sections.core.journal, { force: true });
    await writeFileAtomic(file, serializeSnapshot('core', 1, state));
  });
}

async function migrateResults(paths: StorePaths, lock: LockOptions): Promise<void> {
  const file = paths.sections.results.snapshot;
  await withFileLock(file, lock, async () => {
    const found = await versionOf(file);
    if (!found || found.version !== 1) return;
    const raw = found.raw;
    const checks = raw.checks && typeof raw.checks === 'object' && !Array.isArray(raw.checks) ? (raw.checks as Record<string, Record<string, unknown>>) : {};
    const records: unknown[] = [];
    const history: unknown[] = [];
    for (const [id, value] of Object.entries(checks)) {
      if (!value || typeof value !== 'object') throw new StoreError(`${file}: field checks.${id}: expected an object (format version 1); the file was left untouched`, file);
      const { history: points, ...rest } = value;
      records.push({ ...rest, id });
      history.push({ id, points: Array.isArray(points) ? points : [] });
    }
    const results = new SectionState('results');
    results.load(0, { checks: checked('checks', records, file, 'checks') as never });
    const past = new SectionState('history');
    past.load(0, { history: checked('history', history, file, 'checks.*.history') as never });
    await keepCopy(file);
    await withFileLock(paths.sections.history.snapshot, lock, async () => {
      await fs.rm(paths.sections.history.journal, { force: true });
      await writeFileAtomic(paths.sections.history.snapshot, serializeSnapshot('history', 1, past));
    });
    await fs.rm(paths.sections.results.journal, { force: true });
    await writeFileAtomic(file, serializeSnapshot('results', 1, results));
  });
}

const DECLARED_FIRST = /^\s*\{\s*"version"\s*:\s*(\d+)\s*,/;

/**
 * The version a section file declares, read from its first bytes when it says it there (every
 * snapshot of format version 2 starts with it); the whole file is parsed only when they do not
 * tell. Every store opened asked this, and parsed a 7 MB results file twice to learn it.
 */
async function declaredVersion(file: string): Promise<{ version: unknown } | null> {
  const first = await readFileHead(file, 64);
  if (!first) return null;
  const declared = DECLARED_FIRST.exec(first.text);
  if (declared && Number(declared[1]) !== 1) return { version: Number(declared[1]) };
  return versionOf(file);
}

/** Convert whatever is still at format version 1 (nothing when the store is new or converted). */
export async function migrateV1IfNeeded(paths: StorePaths, lock: LockOptions): Promise<void> {
  const [core, results] = await Promise.all([declaredVersion(paths.sections.core.snapshot), declaredVersion(paths.sections.results.snapshot)]);
  if (core?.version !== 1 && results?.version !== 1) return;
  await fs.mkdir(paths.dir, { recursive: true });
  if (results?.version === 1) await migrateResults(paths, lock);
  if (core?.version === 1) await migrateCore(paths, lock);
  await fsyncDirectory(paths.dir);
}
