// Looking at a store's files and, when asked, putting a bad one aside. Nothing here runs on its
// own: a file that cannot be read is refused until a person decides to repair it, and the bad
// file is always kept (as <name>.corrupt-<time>) so nothing is lost silently.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { fsyncDirectory, readSnapshot, writeFileAtomic } from './atomic-file.js';
import { serializeSection } from './json-store.js';
import { DEFAULT_LOCK_OPTIONS, withFileLock, type LockOptions } from './lock.js';
import { storePaths } from './paths.js';
import { parseSection } from './schema.js';
import { emptySection, SECTION_NAMES, StoreError, type SectionName } from './types.js';

export interface SectionHealth {
  section: SectionName;
  file: string;
  exists: boolean;
  /** Why the file is refused, or null when it is usable. */
  problem: string | null;
}

export interface RepairAction {
  section: SectionName;
  file: string;
  problem: string;
  /** Where the bad file was kept. */
  keptAs: string;
}

async function health(section: SectionName, file: string): Promise<SectionHealth> {
  try {
    const snapshot = await readSnapshot(file);
    if (!snapshot) return { section, file, exists: false, problem: null };
    parseSection(section, snapshot.text, file);
    return { section, file, exists: true, problem: null };
  } catch (error) {
    if (error instanceof StoreError) return { section, file, exists: true, problem: error.message };
    throw error;
  }
}

/** The state of every section file of the store at `configuredPath` (reads only). */
export async function inspectStore(configuredPath: string): Promise<SectionHealth[]> {
  const paths = storePaths(configuredPath);
  return Promise.all(SECTION_NAMES.map((section) => health(section, paths.sections[section])));
}

/** `2026-11-26T05:51:52.123Z` → `20261126T055152123Z`: sortable, safe in a file name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/**
 * Keeps a copy of every unreadable section file as `<name>.corrupt-<time>` and replaces it with an
 * empty section. Usable files are not touched. Returns what was done (empty: nothing to repair).
 */
export async function repairStore(
  configuredPath: string,
  options: { lock?: Partial<LockOptions>; now?: Date } = {},
): Promise<RepairAction[]> {
  const paths = storePaths(configuredPath);
  const lock = { ...DEFAULT_LOCK_OPTIONS, ...options.lock };
  const actions: RepairAction[] = [];
  for (const section of SECTION_NAMES) {
    const file = paths.sections[section];
    const action = await withFileLock(file, lock, async () => {
      const state = await health(section, file);
      if (!state.problem) return null;
      let keptAs = `${file}.corrupt-${stamp(options.now ?? new Date())}`;
      for (let n = 2; n < 1000; n++) {
        try {
          await fs.copyFile(file, keptAs, constants.COPYFILE_EXCL);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
            throw new StoreError(`cannot keep a copy of ${file} as ${keptAs}: ${(error as Error).message}`, file);
          }
          keptAs = `${file}.corrupt-${stamp(options.now ?? new Date())}-${n}`;
        }
      }
      // The copy must be on disk before the original is replaced.
      const copy = await fs.open(keptAs, 'r+');
      await copy.sync().finally(() => copy.close());
      await fsyncDirectory(paths.dir);
      await writeFileAtomic(file, serializeSection(section, emptySection(section)));
      return { section, file, problem: state.problem, keptAs };
    });
    if (action) actions.push(action);
  }
  return actions;
}
