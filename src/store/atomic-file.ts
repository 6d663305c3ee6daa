// A lowdb adapter that is safe for several processes: lowdb's own JSONFile uses one fixed temp
// name (two writers collide) and never fsyncs. Here every write goes to a unique temp file in the
// same directory, is fsynced, renamed over the target, and the directory is fsynced, so a crash
// leaves the old or the new file, never a torn one.
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { textBatches } from '../text/pieces.js';
import { readText } from './text-pieces.js';
import { StoreError } from './types.js';

/** Text of a file and the identity it was read with (for caching and change detection). */
export interface FileSnapshot {
  text: string;
  signature: string;
  /** Bytes read. */
  size: number;
}

/** (inode, mtime in ns, size): changes with every rename-over, cheap to compare. */
export function statSignature(stat: { ino: bigint; mtimeNs: bigint; size: bigint }): string {
  return `${stat.ino}:${stat.mtimeNs}:${stat.size}`;
}

/**
 * `read` over a regular file opened once (consistent even during renames); null when it does not
 * exist. What goes wrong is a StoreError naming the file.
 */
export async function readOpenFile<T>(file: string, read: (handle: fs.FileHandle, stat: BigIntStats) => Promise<T>): Promise<T | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
  try {
    const stat = await handle.stat({ bigint: true });
    if (!stat.isFile()) throw new StoreError(`${file} is not a regular file (a directory in its place?)`, file);
    return await read(handle, stat);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, file);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file and its signature from one open descriptor, a piece at a time (text-pieces.ts);
 * `onBytes` sees every piece of bytes as read, in order (a reader that checks a snapshot's checksum
 * sums its bytes: summing its text would encode all of it to UTF-8 again).
 */
export function readSnapshot(file: string, onBytes?: (bytes: Buffer) => void): Promise<FileSnapshot | null> {
  return readOpenFile(file, async (handle, stat) => ({ ...(await readText(handle, { onBytes })), signature: statSignature(stat) }));
}

/**
 * The first `bytes` bytes of a file and its size, or null when it does not exist: a snapshot's
 * first bytes say its format version (and where it stands) without reading it whole.
 */
export function readFileHead(file: string, bytes: number): Promise<{ text: string; size: number } | null> {
  return readOpenFile(file, async (handle, stat) => {
    const size = Number(stat.size);
    const buffer = Buffer.alloc(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { text: buffer.toString('utf8', 0, bytesRead), size };
  });
}

/** The signature of a file without reading it, or null when it does not exist. */
export async function fileSignature(file: string): Promise<string | null> {
  try {
    return statSignature(await fs.stat(file, { bigint: true }));
  } catch {
    return null;
  }
}

export interface AtomicWriteOptions {
  /** Checked right before the rename: if it says stop, the temp file is removed instead. */
  beforeCommit?: () => void;
}

/**
 * Write `text` to `file` atomically and durably; returns the bytes written. A text given in pieces
 * (a snapshot of 10,000 records) is never held whole: it is written as it is made, and no text is
 * turned into bytes all at once (text-pieces.ts).
 */
export async function writeFileAtomic(file: string, text: string | Iterable<string>, options: AtomicWriteOptions = {}): Promise<number> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  let written = 0;
  try {
    handle = await fs.open(temp, 'wx', 0o644);
    // writeFile on a handle writes on from where the last one stopped, until every byte is taken
    // (a short write is written on; a full disk fails).
    for (const batch of textBatches(text)) {
      await handle.writeFile(batch, 'utf8');
      written += Buffer.byteLength(batch);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    options.beforeCommit?.();
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.rm(temp, { force: true }).catch(() => {});
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot write ${file}: ${(error as Error).message}`, file);
  }
  await fsyncDirectory(dir);
  return written;
}

/** Makes a rename durable. Some filesystems refuse to fsync a directory: that is not an error. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR / EINVAL / EPERM on some platforms: the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Temp files whose writer died between open and rename. Only the lock holder writes them, so any
 * old one found under the lock is garbage; the age limit keeps a compromised writer's file safe.
 */
export async function removeStaleTempFiles(file: string, olderThanMs = 60_000): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    try {
      const stat = await fs.stat(full);
      if (now - stat.mtimeMs > olderThanMs) await fs.rm(full, { force: true });
    } catch {
      // Gone already.
    }
  }
}

export interface AtomicJsonFileHooks<T> {
  serialize: (data: T) => string;
  /** Turns the file's text into data; `signature` lets the caller reuse what it parsed before. */
  parse: (text: string, file: string, signature: string) => T;
  /** Throws when `data` must not be written; only called when the text actually changed. */
  validate?: (data: T) => void;
  /** Checked right before the rename: throwing abandons the write. */
  beforeCommit?: () => void;
}

/**
 * lowdb adapter over one section file: `read` returns the parsed JSON (or null when the file is
 * missing) and remembers the raw text; `write` is atomic and skips rewriting identical content.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  /** The text last read or written, so an unchanged update costs no write. */
  lastText: string | null = null;
  lastSignature: string | null = null;

  constructor(
    readonly file: string,
    private readonly hooks: AtomicJsonFileHooks<T>,
  ) {}

  async read(): Promise<T | null> {
    const snapshot = await readSnapshot(this.file);
    if (!snapshot) {
      this.lastText = null;
      this.lastSignature = null;
      return null;
    }
    this.lastText = snapshot.text;
    this.lastSignature = snapshot.signature;
    return this.hooks.parse(snapshot.text, this.file, snapshot.signature);
  }

  async write(data: T): Promise<void> {
    const text = this.hooks.serialize(data);
    if (text === this.lastText) return;
    this.hooks.validate?.(data);
    await writeFileAtomic(this.file, text, { beforeCommit: this.hooks.beforeCommit });
    this.lastText = text;
    this.lastSignature = await fileSignature(this.file);
  }
}
