// The matrix on disk: read it (with a content hash so a later write can tell whether someone edited
// the file meanwhile) and write one status back, changing only that cell's bytes.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { displayWidth } from '../text/width.js';
import { parseMatrix } from './matrix-parse.js';
import { DEFAULT_LOCK_OPTIONS, withFileLock, type LockGuard } from '../store/lock.js';
import { renderStatus } from './vocabulary.js';
import { findEntity, formatIssue, type ItemStatus, type Matrix, type MatrixEntity, type MatrixIssue } from './types.js';
import { MAX_MATRIX_BYTES, readTextFile, TextFileError } from '../text-file.js';

/** The matrix cannot be used: the message names the file, line and column of each problem. */
export class MatrixError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly issues: MatrixIssue[] = [],
  ) {
    super(message);
    this.name = 'MatrixError';
  }
}

/** The file changed on disk since it was read: nothing was written. */
export class MatrixConflictError extends MatrixError {
  constructor(file: string) {
    super(`${file} changed on disk since it was read; nothing was written (read it again and retry)`, file);
    this.name = 'MatrixConflictError';
  }
}

export interface LoadedMatrix {
  file: string;
  text: string;
  /** sha256 of the bytes read. */
  hash: string;
  matrix: Matrix;
}

export const contentHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function parseOrThrow(text: string, file: string): Matrix {
  const result = parseMatrix(text, file);
  if (!result.ok) {
    const lines = result.errors.map(formatIssue);
    throw new MatrixError(`${file}: ${result.errors.length} problem(s) in the matrix\n${lines.join('\n')}`, file, result.errors);
  }
  return result.matrix;
}

export async function readMatrixFile(file: string): Promise<LoadedMatrix> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_MATRIX_BYTES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MatrixError(
      code === 'ENOENT'
        ? `${file}: matrix file not found`
        : err instanceof TextFileError
          ? `${file}: not read as the matrix: ${err.message}`
          : `${file}: cannot read the matrix (${code ?? String(err)})`,
      file,
    );
  }
  return { file, text, hash: contentHash(text), matrix: parseOrThrow(text, file) };
}

/** Table names the matrix lists (for the `tables` check's `tables: from-matrix`). */
export async function matrixTableNames(file: string): Promise<string[]> {
  const { matrix } = await readMatrixFile(file);
  return matrix.items.map((i) => i.table);
}

export interface StatusChange {
  entity: MatrixEntity;
  from: ItemStatus;
  to: ItemStatus;
  /** Cell text before and after. */
  before: string;
  after: string;
  changed: boolean;
  /** Hash of the file as this change left it (when it wrote one): lets the writer undo exactly it. */
  hash?: string;
}

/**
 * Pure: the text with one entity's status cell rewritten; every other byte stays. The new cell keeps
 * the old one's leading space and, when the new text fits, its display width (column alignment).
 */
export function replaceStatusInText(
  text: string,
  file: string,
  id: string,
  status: ItemStatus,
): { text: string; change: StatusChange } {
  const matrix = parseOrThrow(text, file);
  const entity = findEntity(matrix, id);
  if (!entity) throw new MatrixError(`${file}: no task, table or system "${id}" in the matrix`, file);
  const cell = entity.statusCell;
  const raw = text.slice(cell.start, cell.end);
  const rendered = renderStatus(status, entity.kind, cell.text);
  if (entity.status === status) {
    return { text, change: { entity, from: status, to: status, before: cell.text, after: cell.text, changed: false } };
  }
  const lead = /^\s*/.exec(raw)![0];
  const hadTrailing = /\s$/.test(raw);
  let segment = lead + rendered;
  const targetWidth = displayWidth(raw);
  const width = displayWidth(segment);
  if (hadTrailing) segment += width + 1 <= targetWidth ? ' '.repeat(targetWidth - width) : ' ';
  const next = text.slice(0, cell.start) + segment + text.slice(cell.end);
  return {
    text: next,
    change: { entity, from: entity.status, to: status, before: cell.text, after: rendered, changed: true },
  };
}

export interface SetStatusOptions {
  /** Hash of the content the caller based its decision on (from readMatrixFile): refuse if it differs. */
  expectHash?: string;
}

/**
 * Set one item's status in the matrix file. Refuses (MatrixConflictError) when the file is not the
 * one the caller read, and re-checks just before the atomic rename so an edit made meanwhile is
 * never overwritten. imos's own writers take turns under a lock beside the file: two people setting
 * statuses at the same moment both succeed (one was refused as "changed on disk", and in the gap
 * between the re-check and the rename one change could be lost).
 */
export async function setItemStatus(
  file: string,
  itemId: string,
  status: ItemStatus,
  options: SetStatusOptions = {},
): Promise<StatusChange> {
  // Write where the file really is: a rename onto a symlink (the matrix linked from a docs
  // repository) replaced the link with a copy, and the real file never changed again.
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    await readMatrixFile(file); // names the file and why it cannot be read
    real = file;
  }
  return withFileLock(real, DEFAULT_LOCK_OPTIONS, (guard) => setLocked(file, real, itemId, status, options, guard));
}

async function setLocked(
  file: string,
  real: string,
  itemId: string,
  status: ItemStatus,
  options: SetStatusOptions,
  guard: LockGuard,
): Promise<StatusChange> {
  const loaded = await readMatrixFile(file);
  if (options.expectHash && options.expectHash !== loaded.hash) throw new MatrixConflictError(file);
  const { text, change } = replaceStatusInText(loaded.text, file, itemId, status);
  if (!change.changed) return change;
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.${randomBytes(4).toString('hex')}.tmp`);
  const stat = await fs.stat(real);
  try {
    await fs.writeFile(temp, text, { mode: stat.mode & 0o777 });
    const handle = await fs.open(temp, 'r');
    await handle.sync();
    await handle.close();
    const current = await fs.readFile(real, 'utf8');
    if (contentHash(current) !== loaded.hash) throw new MatrixConflictError(file);
    guard.assertStillHeld();
    await fs.rename(temp, real);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (err instanceof MatrixError || err instanceof MatrixConflictError) throw err;
    // A full or read-only disk: name the file, and say that it is as it was.
    throw new MatrixError(`cannot write ${file} (${(err as Error).message}); the matrix is unchanged`, file);
  }
  return { ...change, hash: contentHash(text) };
}
