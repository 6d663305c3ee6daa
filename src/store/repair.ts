// Looking at a JSON store's files and, when asked, setting a bad one aside. Nothing here runs on
// its own: a file that cannot be read is refused until a person decides to repair it, and the bad
// file is always kept (as <name>.corrupt-<time>) so nothing is lost silently. A repair keeps what is
// still readable: the complete lines of a journal up to the first bad one, every well-formed entry
// of the audit log.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsyncDirectory, writeFileAtomic } from './atomic-file.js';
import { DEFAULT_JOURNAL_OPTIONS, JournaledSection, parseSnapshot } from './journal.js';
import { LeaseFile } from './lease-file.js';
import { DEFAULT_LOCK_OPTIONS, withFileLock, type LockOptions } from './lock.js';
import { storePaths, type StorePaths } from './paths.js';
import { SECTION_NAMES } from './records.js';
import { StoreError } from './types.js';

export type StorePart = 'core' | 'results' | 'history' | 'lease' | 'audit';

export interface PartHealth {
  part: StorePart;
  /** The files the part is kept in. */
  files: string[];
  exists: boolean;
  /** Why the part is refused (naming the file and line), or null when it is usable. */
  problem: string | null;
  /** Records or entries found (audit: readable entries). */
  count?: number;
}

export interface RepairAction {
  part: StorePart;
  file: string;
  problem: string;
  /** Where the bad file was kept. */
  keptAs: string;
  /** What the repaired file holds now. */
  outcome: string;
}

const exists = (file: string) =>
  fs.lstat(file).then(
    () => true,
    () => false,
  );

async function sectionHealth(paths: StorePaths, part: 'core' | 'results' | 'history'): Promise<PartHealth> {
  const files = paths.sections[part];
  const found = (await exists(files.snapshot)) || (await exists(files.journal));
  try {
    const section = new JournaledSection(part, files, DEFAULT_JOURNAL_OPTIONS);
    let count = 0;
    try {
      await section.refresh();
      for (const list of Object.values(section.state!.dump())) count += list?.length ?? 0;
    } finally {
      await section.close();
    }
    return { part, files: [files.snapshot, files.journal], exists: found, problem: null, count };
  } catch (error) {
    if (error instanceof StoreError) return { part, files: [files.snapshot, files.journal], exists: found, problem: error.message };
    throw error;
  }
}

async function leaseHealth(paths: StorePaths): Promise<PartHealth> {
  try {
    await new LeaseFile(paths.lease, DEFAULT_LOCK_OPTIONS, async () => {}).load();
    return { part: 'lease', files: [paths.lease], exists: await exists(paths.lease), problem: null };
  } catch (error) {
    if (error instanceof StoreError) return { part: 'lease', files: [paths.lease], exists: true, problem: error.message };
    throw error;
  }
}

export interface AuditScan {
  /** The readable, well-formed lines, as text. */
  good: string[];
  bad: Array<{ line: number; why: string }>;
}

function auditLineProblem(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const entry = value as Record<string, unknown>;
  for (const field of ['at', 'actor', 'action', 'target'] as const) {
    if (typeof entry[field] !== 'string') return `field ${field}: expected a string`;
  }
  if (Number.isNaN(Date.parse(entry.at as string))) return 'field at: not a time';
  if (entry.detail !== undefined && (typeof entry.detail !== 'object' || entry.detail === null || Array.isArray(entry.detail))) return 'field detail: expected an object';
  return null;
}

/** Every line of the audit log checked (the last line may be torn by a crash: that is not a fault). */
export async function scanAuditLog(file: string): Promise<AuditScan> {
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw new StoreError(`${file} is not a regular file (a directory in its place?)`, file);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
  const lines = text.split('\n');
  // What follows the last newline is a line still being written or torn by a crash: not a fault.
  lines.pop();
  const scan: AuditScan = { good: [], bad: [] };
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const why = auditLineProblem(line);
    if (why) scan.bad.push({ line: index + 1, why });
    else scan.good.push(line);
  });
  return scan;
}

async function auditHealth(paths: StorePaths): Promise<PartHealth> {
  const file = paths.audit;
  if (!(await exists(file))) return { part: 'audit', files: [file], exists: false, problem: null, count: 0 };
  try {
    const scan = await scanAuditLog(file);
    if (scan.bad.length === 0) return { part: 'audit', files: [file], exists: true, problem: null, count: scan.good.length };
    const first = scan.bad[0]!;
    const more = scan.bad.length > 1 ? ` (and ${scan.bad.length - 1} more bad lines)` : '';
    return {
      part: 'audit',
      files: [file],
      exists: true,
      count: scan.good.length,
      problem: `${file} line ${first.line}: ${first.why}${more}; ${scan.good.length} readable entries`,
    };
  } catch (error) {
    const message = error instanceof StoreError ? error.message : `cannot read ${file}: ${(error as Error).message}`;
    return { part: 'audit', files: [file], exists: true, problem: message };
  }
}

/** The state of every part of the JSON store at `configuredPath` (reads only). */
export async function inspectStore(configuredPath: string): Promise<PartHealth[]> {
  const paths = storePaths(configuredPath);
  const sections = await Promise.all(SECTION_NAMES.map((part) => sectionHealth(paths, part)));
  return [...sections, await leaseHealth(paths), await auditHealth(paths)];
}

/** `2026-11-26T05:51:52.123Z` → `20261126T055152123Z`: sortable, safe in a file name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/** Keep `file` (a file or a directory) as `<file>.corrupt-<time>`; returns the name kept. */
async function setAside(file: string, now: Date, move: boolean): Promise<string> {
  let keptAs = `${file}.corrupt-${stamp(now)}`;
  for (let n = 2; n < 1000; n++) {
    if (!(await exists(keptAs))) break;
    keptAs = `${file}.corrupt-${stamp(now)}-${n}`;
  }
  try {
    if (move) await fs.rename(file, keptAs);
    else {
      await fs.copyFile(file, keptAs, constants.COPYFILE_EXCL);
      const copy = await fs.open(keptAs, 'r+');
      await copy.sync().finally(() => copy.close());
    }
  } catch (error) {
    throw new StoreError(`cannot keep a copy of ${file} as ${keptAs}: ${(error as Error).message}; nothing was changed`, file);
  }
  await fsyncDirectory(path.dirname(file));
  return keptAs;
}

/** The length of the journal's readable beginning: every complete line up to the first bad one. */
async function readableJournalPrefix(paths: StorePaths, part: 'core' | 'results' | 'history'): Promise<number> {
  const section = new JournaledSection(part, paths.sections[part], DEFAULT_JOURNAL_OPTIONS, undefined, { stopAtBadLine: true });
  try {
    await section.refresh();
  } catch {
    return 0; // the header itself is unreadable
  } finally {
    await section.close();
  }
  return section.readableBytes();
}

/**
 * Set unreadable parts aside and keep what can be read: a journal is cut at its first bad line, an
 * audit log keeps every well-formed entry, an unreadable snapshot or lease starts empty. Returns
 * what was done (empty: nothing to repair). Runs under each part's lock.
 */
export async function repairStore(configuredPath: string, options: { lock?: Partial<LockOptions>; now?: Date } = {}): Promise<RepairAction[]> {
  const paths = storePaths(configuredPath);
  const lock = { ...DEFAULT_LOCK_OPTIONS, ...options.lock };
  const now = options.now ?? new Date();
  const actions: RepairAction[] = [];
  for (const part of SECTION_NAMES) {
    const files = paths.sections[part];
    const action = await withFileLock(files.snapshot, lock, async (): Promise<RepairAction | null> => {
      const health = await sectionHealth(paths, part);
      if (!health.problem) return null;
      const snapshotBad = await fs
        .readFile(files.snapshot, 'utf8')
        .then((text) => {
          parseSnapshot(part, text, files.snapshot);
          return false;
        })
        .catch((error: NodeJS.ErrnoException) => error.code !== 'ENOENT');
      if (snapshotBad) {
        const keptAs = await setAside(files.snapshot, now, true);
        if (await exists(files.journal)) await setAside(files.journal, now, true);
        return { part, file: files.snapshot, problem: health.problem, keptAs, outcome: `the ${part} section starts empty` };
      }
      const keep = await readableJournalPrefix(paths, part);
      const keptAs = await setAside(files.journal, now, false);
      if (keep === 0) {
        await fs.rm(files.journal, { force: true });
        return { part, file: files.journal, problem: health.problem, keptAs, outcome: 'the journal starts again from the snapshot' };
      }
      const text = await fs.readFile(files.journal);
      await writeFileAtomic(files.journal, text.subarray(0, keep).toString('utf8'));
      return { part, file: files.journal, problem: health.problem, keptAs, outcome: `kept the changes before the first bad line (${keep} bytes)` };
    });
    if (action) actions.push(action);
  }

  const lease = await leaseHealth(paths);
  if (lease.problem) {
    const keptAs = await setAside(paths.lease, now, true);
    actions.push({ part: 'lease', file: paths.lease, problem: lease.problem, keptAs, outcome: 'the poller lease is free' });
  }

  await withFileLock(paths.sections.core.snapshot, lock, async () => {
    const audit = await auditHealth(paths);
    if (!audit.problem) return;
    const stat = await fs.lstat(paths.audit);
    if (!stat.isFile()) {
      const keptAs = await setAside(paths.audit, now, true);
      actions.push({ part: 'audit', file: paths.audit, problem: audit.problem, keptAs, outcome: 'the audit log starts empty' });
      return;
    }
    const scan = await scanAuditLog(paths.audit);
    const keptAs = await setAside(paths.audit, now, false);
    await writeFileAtomic(paths.audit, scan.good.length > 0 ? scan.good.join('\n') + '\n' : '');
    actions.push({
      part: 'audit',
      file: paths.audit,
      problem: audit.problem,
      keptAs,
      outcome: `kept ${scan.good.length} readable entries, dropped ${scan.bad.length} bad lines`,
    });
  });
  return actions;
}
