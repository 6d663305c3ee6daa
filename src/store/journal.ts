// One section of the JSON store on disk: a snapshot file (every record as of change `seq`, readable
// JSON) and an append-only journal of the changes since (one JSON line per commit). A commit appends
// one line and fsyncs it, so it costs what changed, not what is stored; a reader that is already
// loaded reads only the bytes appended since it last looked. When the journal has grown as large as
// the snapshot, the next writer folds it into a new snapshot (compaction).
//
// Crash safety: a line is committed once it is complete and fsynced; a torn last line (a writer
// killed mid-append) is ignored by readers and cut off by the next writer. Compaction writes the
// new snapshot (generation g+1) by rename before it replaces the journal, and a journal whose
// generation is older than the snapshot's is known to be folded in already: either file may be
// found first after a crash and nothing is lost or applied twice.
import fs from 'node:fs/promises';
import { readSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fsyncDirectory, readFileHead, readOpenFile, readSnapshot, writeFileAtomic } from './atomic-file.js';
import { collectionsOf, recordProblem, type CollectionName, type SectionName } from './records.js';
import { SectionState, type ChangeSet } from './state.js';
import { crc32Text, isSealed, seal, SealCheck } from './seal.js';
import { PIECE_BYTES, writeTextAt } from './text-pieces.js';
import { STORE_VERSION, StoreError } from './types.js';
import { decodeUtf8 } from '../text/utf8.js';

const NEWLINE = 0x0a;

export interface SectionFiles {
  snapshot: string;
  journal: string;
}

export interface JournalLine {
  seq: number;
  put?: ChangeSet['put'];
  del?: ChangeSet['del'];
  append?: ChangeSet['append'];
  audit?: ChangeSet['audit'];
}

interface JournalHeader {
  journal: SectionName;
  version: number;
  generation: number;
}

/** Where a loaded section stands on disk. */
interface Position {
  generation: number;
  /** Identity of the journal file read (inode): a new one means it was compacted. */
  journalIno: bigint | null;
  /** Bytes of the journal applied so far (always at the end of a complete line). */
  offset: number;
  journalSize: number;
  snapshotSize: number;
}

export interface SectionSnapshotData {
  version: number;
  section: SectionName;
  generation: number;
  seq: number;
  [collection: string]: unknown;
}

/**
 * Text of a snapshot: the core section is read by people now and then, so it is indented; the
 * others (10,000 checks' results, their history) are compact and ASCII, with the characters beyond
 * it written as \uXXXX escapes. Seven dashes in 8 MB of results made the whole text one of two
 * bytes a character: decoding it, and every read of it, took about twice as long.
 */
export function serializeSnapshot(section: SectionName, generation: number, state: SectionState): string {
  return [...snapshotPieces(section, generation, state)].join('');
}

/**
 * The text of a snapshot (serializeSnapshot's) in pieces, a record at a time, sealed as seal()
 * seals it (the checksum summed as the pieces go): compacting 10,000 alerts no longer makes one
 * 8 MB string and an 8 MB Buffer of it, and a 30–40 MB rise of the writer's memory with them.
 */
export function* snapshotPieces(section: SectionName, generation: number, state: SectionState): Generator<string> {
  const indented = section === 'core';
  const nl = indented ? '\n' : '';
  const pad = indented ? '  ' : '';
  const colon = indented ? ': ' : ':';
  let sum = 0;
  const piece = (text: string) => {
    sum = crc32Text(text, sum);
    return text;
  };
  const head = { version: STORE_VERSION, section, generation, seq: state.seq };
  yield piece(`{${nl}${Object.entries(head).map(([key, value]) => `${pad}${JSON.stringify(key)}${colon}${JSON.stringify(value)}`).join(`,${nl}`)}`);
  for (const [name, records] of Object.entries(state.dump())) {
    yield piece(`,${nl}${pad}${JSON.stringify(name)}${colon}`);
    if (!records || records.length === 0) {
      yield piece('[]');
      continue;
    }
    yield piece('[');
    for (let i = 0; i < records.length; i++) {
      const text = indented ? JSON.stringify(records[i], null, 2).replace(/\n/g, '\n    ') : asciiJson(JSON.stringify(records[i]));
      yield piece(`${i > 0 ? ',' : ''}${nl}${pad}${pad}${text}`);
    }
    yield piece(`${nl}${pad}]`);
  }
  const key = `,${nl}${pad}"crc32":`;
  sum = crc32Text(key, sum);
  yield `${key}${indented ? ' ' : ''}${sum}${nl}}\n`;
}

const BEYOND_ASCII = /[\u0080-\uffff]/;
const EACH_BEYOND_ASCII = /[\u0080-\uffff]/g;

/** JSON text with every character beyond ASCII escaped (`—` → `\u2014`): the same data, read back as text of one byte a character. */
function asciiJson(json: string): string {
  return BEYOND_ASCII.test(json) ? json.replace(EACH_BEYOND_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

function headerLine(section: SectionName, generation: number): string {
  const header: JournalHeader = { journal: section, version: STORE_VERSION, generation };
  return JSON.stringify(header) + '\n';
}

/**
 * Parses and checks a snapshot's text; every failure names the file (and field). `sealed`: whether
 * it ends in its checksum, when the reader summed its bytes as it read them (SealCheck).
 */
export function parseSnapshot(section: SectionName, text: string, file: string, sealed?: boolean): { generation: number; seq: number; records: Record<string, unknown[]> } {
  if (text.trim() === '') throw new StoreError(`${file} is empty: expected the imos ${section} data (the file was left untouched)`, file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StoreError(`${file} is not valid JSON (${(error as Error).message}); the file was left untouched`, file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StoreError(`${file} does not hold an imos ${section} object; the file was left untouched`, file);
  }
  const data = raw as Partial<SectionSnapshotData>;
  checkVersion(data.version, file);
  if (data.section !== undefined && data.section !== section) {
    // Named as written: String() of an object whose toString is not a function throws.
    const named = typeof data.section === 'string' ? data.section : JSON.stringify(data.section).slice(0, 80);
    throw new StoreError(`${file} holds the ${named} section, not ${section}; the file was left untouched`, file);
  }
  const generation = data.generation ?? 0;
  const seq = data.seq ?? 0;
  if (!Number.isSafeInteger(generation) || generation < 0) throw new StoreError(`${file}: field generation: expected a whole number; the file was left untouched`, file);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new StoreError(`${file}: field seq: expected a whole number; the file was left untouched`, file);
  const records: Record<string, unknown[]> = {};
  // Records as an imos wrote them (seal.ts) were validated when they were put.
  const trusted = sealed ?? isSealed(text);
  for (const name of collectionsOf(section)) {
    const list = (data as Record<string, unknown>)[name] ?? [];
    if (!Array.isArray(list)) throw new StoreError(`${file}: field ${name}: expected an array; the file was left untouched`, file);
    if (!trusted) {
      list.forEach((record, index) => {
        const problem = recordProblem(name, record);
        if (problem) throw new StoreError(`${file}: ${name}[${index}]: ${problem}; the file was left untouched`, file);
      });
    }
    records[name] = list;
  }
  return { generation, seq, records };
}

export function checkVersion(version: unknown, file: string): void {
  if (typeof version !== 'number') throw new StoreError(`${file} has no format version (field "version"); the file was left untouched`, file);
  if (version > STORE_VERSION) {
    throw new StoreError(
      `${file} was written by a newer imos (format version ${version}; this imos reads version ${STORE_VERSION}); ` +
        'upgrade imos to use it. The file was left untouched',
      file,
    );
  }
  if (version !== STORE_VERSION) {
    throw new StoreError(`${file} has format version ${version}, which this imos cannot read (it reads version ${STORE_VERSION}); the file was left untouched`, file);
  }
}

/** The line's shape; with `trusted` (a line as an imos wrote it, seal.ts) its records are not checked again. */
function checkLine(section: SectionName, value: unknown, file: string, lineNumber: number, trusted: boolean): JournalLine {
  const where = `${file} line ${lineNumber}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new StoreError(`${where}: expected a change object; the file was left untouched`, file);
  const line = value as JournalLine;
  if (!Number.isSafeInteger(line.seq)) throw new StoreError(`${where}: field seq: expected a whole number; the file was left untouched`, file);
  const allowed = new Set(collectionsOf(section));
  for (const [name, records] of Object.entries(line.put ?? {})) {
    if (!allowed.has(name as CollectionName) || !Array.isArray(records)) throw new StoreError(`${where}: put.${name}: not a collection of the ${section} section; the file was left untouched`, file);
    if (trusted) continue;
    for (const record of records) {
      const problem = recordProblem(name as CollectionName, record);
      if (problem) throw new StoreError(`${where}: put.${name}: ${problem}; the file was left untouched`, file);
    }
  }
  for (const [name, keys] of Object.entries(line.del ?? {})) {
    if (!allowed.has(name as CollectionName) || !Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
      throw new StoreError(`${where}: del.${name}: expected a list of keys of the ${section} section; the file was left untouched`, file);
    }
  }
  if (line.append !== undefined && (!Array.isArray(line.append) || !line.append.every((a) => typeof a?.id === 'string' && Array.isArray(a.points) && Number.isSafeInteger(a.max)))) {
    throw new StoreError(`${where}: field append: expected a list of {id, points, max}; the file was left untouched`, file);
  }
  if (line.audit !== undefined && (!Array.isArray(line.audit) || !line.audit.every((e) => typeof e?.at === 'string' && typeof e.action === 'string'))) {
    throw new StoreError(`${where}: field audit: expected a list of audit entries; the file was left untouched`, file);
  }
  return line;
}

export function lineChanges(section: SectionName, line: JournalLine): ChangeSet {
  return { section, put: line.put ?? {}, del: line.del ?? {}, append: line.append ?? [], audit: line.audit ?? [] };
}

export interface JournalOptions {
  /** Compact once the journal is this large and at least as large as the snapshot. */
  compactMinBytes: number;
}

export const DEFAULT_JOURNAL_OPTIONS: JournalOptions = { compactMinBytes: 1 << 20 };

/** A snapshot's first bytes: its head as imos writes it (version, section, generation, seq) fits in them. */
const HEAD_BYTES = 512;
const HEAD = /^\{\s*"version"\s*:\s*(\d+)\s*,\s*"section"\s*:\s*"([a-z]+)"\s*,\s*"generation"\s*:\s*(\d+)\s*,\s*"seq"\s*:\s*(\d+)\s*[,}]/;

/**
 * Where a snapshot stands (its generation and the last change it holds), from its first bytes
 * alone; a missing snapshot holds nothing. Null when its head is not as imos writes it (a file
 * edited by hand): the caller then reads it whole.
 */
export async function readSnapshotHead(section: SectionName, file: string): Promise<{ generation: number; seq: number; size: number } | null> {
  const first = await readFileHead(file, HEAD_BYTES);
  if (!first) return { generation: 0, seq: 0, size: 0 };
  const head = HEAD.exec(first.text);
  if (!head) return null;
  checkVersion(Number(head[1]), file);
  if (head[2] !== section) return null;
  const [generation, seq] = [Number(head[3]), Number(head[4])];
  if (!Number.isSafeInteger(generation) || !Number.isSafeInteger(seq)) return null;
  return { generation, seq, size: first.size };
}

/** Told about every line applied (replayed or committed here), e.g. to keep its audit entries. */
export type LineListener = (line: JournalLine, fromThisProcess: boolean) => void;

/**
 * A section loaded in memory and kept current with its files. Reads need no lock; `commit` must be
 * called with the section's lock held (the store does that).
 */
export class JournaledSection {
  state: SectionState | null = null;
  private position: Position | null = null;
  /** Line numbers for error messages: how many lines precede `offset`. */
  private linesRead = { offset: 0, lines: 0 };
  /**
   * The journal as this process last read it, kept open: once a compaction has replaced the file,
   * the lines of it not read yet are still read from here (see refreshNow).
   */
  private reader: { handle: fs.FileHandle; ino: bigint } | null = null;

  constructor(
    readonly section: SectionName,
    readonly files: SectionFiles,
    private readonly options: JournalOptions,
    private readonly onLine: LineListener = () => {},
    /** For repairs: stop at the first bad line instead of refusing the section. */
    private readonly mode: { stopAtBadLine?: boolean } = {},
  ) {}

  /** Bytes of the journal applied so far (after `refresh`; with stopAtBadLine, the readable part). */
  readableBytes(): number {
    return this.position?.offset ?? 0;
  }

  /**
   * Refreshes, commits, compactions and replacements of this section run one at a time: two
   * interleaved (a reader and a writer in one process, or two readers) would replay the journal
   * into different states and leave the section's records half read.
   */
  private queue: Promise<unknown> = Promise.resolve();
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Load, or read what other processes appended since; returns whether anything changed. */
  refresh(): Promise<boolean> {
    return this.exclusive(() => this.refreshNow());
  }

  private async refreshNow(): Promise<boolean> {
    if (!this.state || !this.position) {
      await this.loadAll();
      return true;
    }
    const stat = await statOrNull(this.files.journal);
    if (stat && stat.isDirectory()) throw new StoreError(`${this.files.journal} is a directory: expected the imos ${this.section} journal`, this.files.journal);
    if (stat && stat.ino === this.position.journalIno) {
      if (Number(stat.size) === this.position.offset) return false;
      if (Number(stat.size) < this.position.offset) {
        // Shorter than what we applied: rewritten in place (a repair). Start again from the files.
        this.state = null;
        await this.loadAll();
        return true;
      }
      return this.readJournalFrom(this.position.offset);
    }
    // A new journal (compacted, or created). The lines of the old one not read yet are read from
    // it first (still open here): the new snapshot then holds nothing newer than the records held,
    // and only its head is read. Without this, following a writer that compacts right after its
    // commit meant parsing the whole snapshot (10,000 alerts, 8 MB) and taking every record anew.
    const before = this.state.seq;
    await this.readReplacedJournal();
    await this.loadAll(this.state);
    return this.state.seq !== before;
  }

  /** The rest of a journal that was replaced since it was last read (its file still open here). */
  private async readReplacedJournal(): Promise<void> {
    if (!this.reader || this.reader.ino !== this.position!.journalIno) return;
    try {
      await this.readJournalFrom(this.position!.offset);
    } catch {
      // Unreadable (a line a repair set aside): the new files are read in full instead.
    } finally {
      await this.closeReader();
    }
  }

  private async closeReader(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    await reader?.handle.close().catch(() => {});
  }

  /** Lets go of the journal kept open for reading (the store is being closed). */
  close(): Promise<void> {
    return this.exclusive(() => this.closeReader());
  }

  /**
   * Read the snapshot and the journal after it. With `current` (the state already held), records
   * are only re-read when the snapshot is ahead of it; lines already applied are skipped.
   */
  private async loadAll(current?: SectionState): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      // With records held, a snapshot that holds nothing newer is not read beyond its head.
      const head = current ? await readSnapshotHead(this.section, this.files.snapshot) : null;
      const known = head && head.seq <= current!.seq ? head : null;
      // Its checksum is summed over its bytes as they are read.
      const check = new SealCheck();
      const snapshot = known ? null : await readSnapshot(this.files.snapshot, (bytes) => check.update(bytes));
      const parsed = known
        ? { generation: known.generation, seq: known.seq, records: {} }
        : snapshot
          ? parseSnapshot(this.section, snapshot.text, this.files.snapshot, check.sealed())
          : { generation: 0, seq: 0, records: {} };
      const header = await readHeader(this.section, this.files.journal);
      if (header && header.generation > parsed.generation) continue; // compaction under way: read again
      let state = current;
      if (!state || parsed.seq > state.seq) {
        state = new SectionState(this.section);
        state.load(parsed.seq, parsed.records as never);
        // Lines of a journal we had not read are folded into this snapshot: nothing to replay.
      }
      this.state = state;
      this.position = {
        generation: parsed.generation,
        journalIno: header?.generation === parsed.generation ? header.ino : null,
        offset: header?.generation === parsed.generation ? header.bodyStart : 0,
        journalSize: header?.size ?? 0,
        snapshotSize: known ? known.size : snapshot ? snapshot.size : 0,
      };
      this.linesRead = { offset: this.position.offset, lines: 1 };
      if (this.position.journalIno !== null) await this.readJournalFrom(this.position.offset);
      return;
    }
    throw new StoreError(`${this.files.journal} kept changing while it was read (10 attempts); try again`, this.files.journal);
  }

  /** Apply the complete lines from `offset` on; a torn tail is left for its writer (or the next). */
  private async readJournalFrom(offset: number): Promise<boolean> {
    const state = this.state!;
    const position = this.position!;
    if (this.reader?.ino !== position.journalIno) {
      await this.closeReader();
      let opened: fs.FileHandle;
      try {
        opened = await fs.open(this.files.journal, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw new StoreError(`cannot read ${this.files.journal}: ${(error as Error).message}`, this.files.journal);
      }
      const ino = await opened.stat({ bigint: true }).then(
        (stat) => stat.ino,
        () => null,
      );
      if (ino === null || ino !== position.journalIno) {
        await opened.close().catch(() => {});
        return false; // replaced meanwhile: the next refresh reloads
      }
      this.reader = { handle: opened, ino };
    }
    const handle = this.reader!.handle;
    let changed = false;
    try {
      const stat = await handle.stat({ bigint: true });
      const size = Number(stat.size);
      position.journalSize = size;
      if (size <= offset) return false;
      let lineNumber = this.linesRead.offset === offset ? this.linesRead.lines : 0;
      // Read a piece at a time (text-pieces.ts): a line within one piece is checked as its bytes,
      // a longer one is put together as text from the pieces it spans.
      const buffer = Buffer.allocUnsafe(Math.min(PIECE_BYTES, size - offset));
      const decoder = new StringDecoder('utf8');
      let partial: string[] = [];
      /** Where the line under way starts: everything before it is applied. */
      let lineStart = offset;
      for (let at = offset; at < size; ) {
        // Without a round trip through the thread pool per piece, as a snapshot is read (text-pieces.ts).
        const bytesRead = readSync(handle.fd, buffer, 0, Math.min(buffer.length, size - at), at);
        if (bytesRead === 0) break;
        const piece = buffer.subarray(0, bytesRead);
        let from = 0;
        for (let stop = piece.indexOf(NEWLINE); stop !== -1; stop = piece.indexOf(NEWLINE, from)) {
          const bytes = piece.subarray(from, stop);
          const within = partial.length === 0;
          // A line end never falls inside a character: the decoder holds nothing back here.
          const text = within ? decodeUtf8(bytes) : partial.join('') + decoder.end(bytes);
          partial = [];
          lineNumber++;
          from = stop + 1;
          if (text.trim() !== '') {
            let line: JournalLine;
            try {
              line = this.parseLine(text, lineNumber, state.seq, isSealed(within ? bytes : text));
            } catch (error) {
              if (!this.mode.stopAtBadLine) throw error;
              position.offset = lineStart;
              return changed;
            }
            // A line already applied (ours, or in the snapshot) is passed over.
            if (line.seq > state.seq) {
              state.apply(lineChanges(this.section, line), line.seq, { owned: true });
              this.onLine(line, false);
              changed = true;
            }
          }
          lineStart = at + from;
        }
        if (from < bytesRead) partial.push(decoder.write(piece.subarray(from)));
        at += bytesRead;
      }
      // A torn last line (no line end yet) is left for its writer, or the next.
      position.offset = lineStart;
      this.linesRead = { offset: position.offset, lines: lineNumber };
    } catch (error) {
      await this.closeReader(); // opened again by the next read
      if (error instanceof StoreError) throw error;
      throw new StoreError(`cannot read ${this.files.journal}: ${(error as Error).message}`, this.files.journal);
    }
    return changed;
  }

  private parseLine(text: string, lineNumber: number, seq: number, sealed: boolean): JournalLine {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new StoreError(
        `${this.files.journal} line ${lineNumber} is not valid JSON (${(error as Error).message}); the file was left untouched (imos store repair sets it aside)`,
        this.files.journal,
      );
    }
    const line = checkLine(this.section, value, this.files.journal, lineNumber, sealed);
    if (line.seq > seq && line.seq !== seq + 1) {
      throw new StoreError(
        `${this.files.journal} line ${lineNumber}: change ${line.seq} follows change ${seq} (a change is missing); the file was left untouched`,
        this.files.journal,
      );
    }
    return line;
  }

  /**
   * Append one change set as the next line and fsync it; then apply it here. Called with the
   * section's lock held and right after `refresh()`, so nothing else was appended meanwhile.
   */
  commit(changes: ChangeSet, beforeWrite: () => void): Promise<JournalLine> {
    return this.exclusive(() => this.commitNow(changes, beforeWrite));
  }

  private async commitNow(changes: ChangeSet, beforeWrite: () => void): Promise<JournalLine> {
    const state = this.state!;
    const position = this.position!;
    const line: JournalLine = { seq: state.seq + 1 };
    if (Object.keys(changes.put).length > 0) line.put = changes.put;
    if (Object.keys(changes.del).length > 0) line.del = changes.del;
    if (changes.append.length > 0) line.append = changes.append;
    if (changes.audit.length > 0) line.audit = changes.audit;
    const text = seal(JSON.stringify(line)) + '\n';
    if (position.journalIno === null) await this.startJournal(position.generation, beforeWrite);
    let handle: fs.FileHandle | undefined;
    let writing = false;
    try {
      handle = await fs.open(this.files.journal, 'r+');
      const stat = await handle.stat({ bigint: true });
      if (stat.ino !== position.journalIno) throw new StoreError(`${this.files.journal} was replaced while locked; nothing was written`, this.files.journal);
      // Nothing is touched once the lock may have been taken from us (a stopped process resumed).
      beforeWrite();
      const size = Number(stat.size);
      if (size > position.offset) {
        // Only a line torn by a writer killed mid-append may follow what we read: cut it off. A
        // complete line there would be another writer's commit, which must never be cut.
        if (lastNewline(handle.fd, position.offset, size) !== -1) {
          throw new StoreError(`${this.files.journal} received changes from another process while this one held the lock; nothing was written`, this.files.journal);
        }
        await handle.truncate(position.offset);
      }
      writing = true;
      // A write may store only part of the line (the disk filled up meanwhile) without an error:
      // writeTextAt writes the rest, so that a full disk ends in an error, never in a torn line taken for done.
      const written = await writeTextAt(handle, text, position.offset);
      await handle.datasync();
      position.offset += written;
      position.journalSize = position.offset;
      this.linesRead = { offset: position.offset, lines: this.linesRead.lines + 1 };
    } catch (error) {
      // A failed append (a full disk) must not leave a partial line behind: cut it off again.
      if (writing) await handle?.truncate(position.offset).catch(() => {});
      if (error instanceof StoreError) throw error;
      throw new StoreError(`cannot write ${this.files.journal}: ${(error as Error).message}; nothing was stored`, this.files.journal);
    } finally {
      await handle?.close().catch(() => {});
    }
    // The records held are read back from the line as written: compact objects of their own (see
    // SectionState.apply), for about what a copy of the transaction's records would cost.
    state.apply(lineChanges(this.section, JSON.parse(text) as JournalLine), line.seq, { owned: true });
    this.onLine(line, true);
    return line;
  }

  /**
   * Appends points to history records without reading the section (lock held): a command that
   * runs a check once (`imos check --only`) otherwise read the whole section, 600,000 points and
   * 45 MB after a month, to add one. Readers keep the newest `max` points as they apply the line,
   * so the change needs no record; its sequence number is the last one in the journal (or the
   * snapshot's, for an empty journal). Null, and nothing written, when this process holds the
   * section already (the usual commit is as cheap) or the files cannot be told that cheaply: no
   * journal yet, one of another generation than the snapshot (a compaction left half done), a last
   * line that does not read as a change, or a journal due to be folded into a new snapshot (which
   * needs the records). The caller then commits the usual way, which reads the files, says what is
   * wrong with them, and folds the journal.
   */
  appendBlind(changes: ChangeSet, beforeWrite: () => void): Promise<JournalLine | null> {
    return this.exclusive(() => this.appendBlindNow(changes, beforeWrite));
  }

  private async appendBlindNow(changes: ChangeSet, beforeWrite: () => void): Promise<JournalLine | null> {
    if (this.state || changes.append.length === 0) return null;
    const head = await readSnapshotHead(this.section, this.files.snapshot);
    const header = await readHeader(this.section, this.files.journal);
    if (!head || !header || header.generation !== head.generation) return null;
    let handle: fs.FileHandle | undefined;
    let end = 0;
    let writing = false;
    try {
      handle = await fs.open(this.files.journal, 'r+');
      const stat = await handle.stat({ bigint: true });
      if (stat.ino !== header.ino) return null;
      const size = Number(stat.size);
      // Due to be folded into a new snapshot: that needs the records (compaction as a writer holding them does it).
      if (size >= this.options.compactMinBytes && size >= head.size) return null;
      // Past the last line end: what follows it is a line torn by a writer killed mid-append.
      const lastEnd = lastNewline(handle.fd, header.bodyStart, size);
      end = lastEnd === -1 ? header.bodyStart : lastEnd + 1;
      let seq = head.seq;
      if (lastEnd !== -1) {
        const previous = lastNewline(handle.fd, header.bodyStart, lastEnd);
        const lineStart = previous === -1 ? header.bodyStart : previous + 1;
        const bytes = Buffer.alloc(lastEnd - lineStart);
        readSync(handle.fd, bytes, 0, bytes.length, lineStart);
        const last = lastLineOf(this.section, bytes, this.files.journal);
        if (!last) return null;
        seq = Math.max(seq, last.seq);
      }
      const line: JournalLine = { seq: seq + 1, append: changes.append };
      const text = seal(JSON.stringify(line)) + '\n';
      // Nothing is touched once the lock may have been taken from us (a stopped process resumed).
      beforeWrite();
      if (size > end) await handle.truncate(end);
      writing = true;
      await writeTextAt(handle, text, end);
      await handle.datasync();
      this.onLine(line, true);
      return line;
    } catch (error) {
      // A failed append (a full disk) must not leave a partial line behind: cut it off again.
      if (writing) await handle?.truncate(end).catch(() => {});
      if (error instanceof StoreError) throw error;
      throw new StoreError(`cannot write ${this.files.journal}: ${(error as Error).message}; nothing was stored`, this.files.journal);
    } finally {
      await handle?.close().catch(() => {});
    }
  }

  /** A fresh journal for `generation`, put in place by rename (never a half-written header). */
  private async startJournal(generation: number, beforeWrite?: () => void): Promise<void> {
    await writeFileAtomic(this.files.journal, headerLine(this.section, generation), { beforeCommit: beforeWrite });
    const header = await readHeader(this.section, this.files.journal);
    if (!header) throw new StoreError(`cannot start ${this.files.journal}`, this.files.journal);
    Object.assign(this.position!, { journalIno: header.ino, offset: header.bodyStart, journalSize: header.size, generation });
    this.linesRead = { offset: header.bodyStart, lines: 1 };
  }

  /** Whether the journal has grown enough to be folded into a new snapshot. */
  wantsCompaction(): boolean {
    const p = this.position;
    return p !== null && p.journalSize >= this.options.compactMinBytes && p.journalSize >= p.snapshotSize;
  }

  /** Write every record as a new snapshot, then start an empty journal. Lock held. */
  compact(beforeWrite: () => void): Promise<void> {
    return this.exclusive(() => this.compactNow(beforeWrite));
  }

  private async compactNow(beforeWrite: () => void): Promise<void> {
    const state = this.state!;
    const generation = this.position!.generation + 1;
    const size = await writeFileAtomic(this.files.snapshot, snapshotPieces(this.section, generation, state), { beforeCommit: beforeWrite });
    this.position!.generation = generation;
    this.position!.snapshotSize = size;
    await this.startJournal(generation, beforeWrite);
  }

  /** Rewrite the snapshot from a state built elsewhere (a migration or a copy). Lock held. */
  replaceWith(state: SectionState): Promise<void> {
    return this.exclusive(() => this.replaceNow(state));
  }

  private async replaceNow(state: SectionState): Promise<void> {
    const generation = (this.position?.generation ?? 0) + 1;
    await writeFileAtomic(this.files.snapshot, snapshotPieces(this.section, generation, state));
    await fs.rm(this.files.journal, { force: true });
    await fsyncDirectory(path.dirname(this.files.journal));
    this.state = null;
    this.position = null;
    await this.refreshNow();
  }
}

/** Where the last line end between `from` and `to` is (read backwards a piece at a time), or -1. */
function lastNewline(fd: number, from: number, to: number): number {
  const buffer = Buffer.allocUnsafe(Math.min(PIECE_BYTES, Math.max(1, to - from)));
  for (let at = to; at > from; ) {
    const start = Math.max(from, at - buffer.length);
    const read = readSync(fd, buffer, 0, at - start, start);
    const found = buffer.subarray(0, read).lastIndexOf(NEWLINE);
    if (found !== -1) return start + found;
    at = start;
  }
  return -1;
}

/** A journal line's change, checked as a reader checks it; null for one that does not read as a change (a reader reports it). */
function lastLineOf(section: SectionName, bytes: Buffer, file: string): JournalLine | null {
  const text = decodeUtf8(bytes);
  if (text.trim() === '') return null;
  try {
    return checkLine(section, JSON.parse(text), file, 0, isSealed(bytes));
  } catch {
    return null;
  }
}

async function statOrNull(file: string) {
  try {
    return await fs.stat(file, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
}

/** The journal's first line, its identity and where its changes start; null when there is none. */
async function readHeader(
  section: SectionName,
  file: string,
): Promise<{ generation: number; ino: bigint; bodyStart: number; size: number } | null> {
  return readOpenFile(file, async (handle, stat) => {
    const buffer = Buffer.alloc(Math.min(4096, Number(stat.size)));
    await handle.read(buffer, 0, buffer.length, 0);
    const end = buffer.indexOf(NEWLINE);
    if (end === -1) {
      if (stat.size === 0n) return null;
      throw new StoreError(`${file}: the first line (the journal header) is incomplete; the file was left untouched (imos store repair sets it aside)`, file);
    }
    let header: Partial<JournalHeader>;
    try {
      header = JSON.parse(buffer.subarray(0, end).toString('utf8')) as Partial<JournalHeader>;
    } catch {
      throw new StoreError(`${file} line 1 is not a journal header; the file was left untouched (imos store repair sets it aside)`, file);
    }
    checkVersion(header.version, file);
    if (header.journal !== section || !Number.isSafeInteger(header.generation)) {
      throw new StoreError(`${file} line 1 is not the header of the ${section} journal; the file was left untouched`, file);
    }
    return { generation: header.generation!, ino: stat.ino, bodyStart: end + 1, size: Number(stat.size) };
  });
}
