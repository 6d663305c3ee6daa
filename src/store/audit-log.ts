// The append-only audit log: one JSON object per line. Appends happen under the core section's lock
// (so a line torn by a crashed writer is closed before the next one) with O_APPEND and fsync;
// reading starts from the end of the file, so the newest entries cost the same however long the
// log grows.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry } from '../model.js';
import { fsyncDirectory } from './atomic-file.js';
import { auditSinceMs } from './audit-query.js';
import { StoreError, type AuditQuery } from './types.js';

const NEWLINE = 0x0a;
const CHUNK = 64 * 1024;
/** Entries from several processes may be a little out of order: read this far past `since`. */
const SINCE_SLACK_MS = 60_000;

/**
 * Append entries as lines with O_APPEND and fsync. The caller holds the core section's lock: every
 * audit entry is committed with a core change, and appended here right after it (or by the next
 * writer, when this process died in between).
 */
export async function appendAuditEntries(file: string, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const text = entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n';
  let handle: fs.FileHandle | undefined;
  try {
    const existed = await fs.stat(file).then(
      () => true,
      () => false,
    );
    handle = await fs.open(file, 'a+', 0o644);
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      // A crash mid-append left a torn line: end it so the new entries start on their own line.
      if (last[0] !== NEWLINE) prefix = '\n';
    }
    await handle.appendFile(prefix + text, 'utf8');
    await handle.sync();
    if (!existed) await fsyncDirectory(path.dirname(file));
  } catch (error) {
    throw new StoreError(`cannot append to ${file}: ${(error as Error).message}`, file);
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** The highest change number (`seq`) among the last entries of the log, or null when none has one. */
export async function lastAuditSeq(file: string): Promise<number | null> {
  const tail = await readAuditTail(file, { limit: 50 });
  let seq: number | null = null;
  for (const entry of tail) if (typeof entry.seq === 'number' && (seq === null || entry.seq > seq)) seq = entry.seq;
  return seq;
}

function parseLine(line: Buffer): AuditEntry | null {
  if (line.length === 0) return null;
  try {
    const value = JSON.parse(line.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const entry = value as AuditEntry;
    return typeof entry.at === 'string' && typeof entry.action === 'string' ? entry : null;
  } catch {
    return null; // a torn line from a crash, or garbage: skipped, never fatal
  }
}

/** Newest entries (oldest first in the result), read backwards from the end of the file. */
export async function readAuditTail(file: string, query: AuditQuery = {}): Promise<AuditEntry[]> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
  const since = auditSinceMs(query.since);
  const cutoff = since === undefined ? -Infinity : since - SINCE_SLACK_MS;
  // Without `since` every entry counts, one whose own time does not parse too.
  const inRange = (at: number) => since === undefined || at >= since;
  const limit = query.limit ?? Infinity;
  const newestFirst: AuditEntry[] = [];
  let matched = 0;
  try {
    let pos = (await handle.stat()).size;
    let tail: Buffer = Buffer.alloc(0);
    let atEnd = true;
    let done = false;
    while (pos > 0 && !done) {
      const size = Math.min(CHUNK, pos);
      pos -= size;
      const chunk = Buffer.alloc(size);
      await handle.read(chunk, 0, size, pos);
      let buf = tail.length ? Buffer.concat([chunk, tail]) : chunk;
      let end = buf.length;
      if (atEnd) {
        // Bytes after the last newline belong to a line still being written or torn by a crash.
        const lastNewline = buf.lastIndexOf(NEWLINE);
        if (lastNewline === -1 && pos > 0) {
          tail = buf;
          continue;
        }
        end = lastNewline + 1;
        atEnd = false;
      }
      buf = buf.subarray(0, end);
      // Walk complete lines from the newest; the first (possibly partial) one waits for the next chunk.
      let lineEnd = buf.length;
      while (lineEnd > 0) {
        const start = lineEnd >= 2 ? buf.lastIndexOf(NEWLINE, lineEnd - 2) + 1 : 0;
        if (start === 0 && pos > 0) break;
        const entry = parseLine(buf.subarray(start, lineEnd - 1));
        if (entry) {
          const at = Date.parse(entry.at);
          if (at < cutoff) {
            done = true;
            break;
          }
          if (query.target === undefined || entry.target === query.target) {
            newestFirst.push(entry);
            if (inRange(at)) matched++;
            if (matched >= limit) {
              done = true;
              break;
            }
          }
        }
        lineEnd = start;
      }
      tail = Buffer.from(buf.subarray(0, lineEnd));
    }
  } catch (error) {
    // Opened but not readable (a directory in its place, an I/O error): a store error naming the file.
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, file);
  } finally {
    await handle.close();
  }
  const chronological = newestFirst
    .filter((entry) => inRange(Date.parse(entry.at)))
    .reverse();
  return Number.isFinite(limit) ? chronological.slice(-limit) : chronological;
}
