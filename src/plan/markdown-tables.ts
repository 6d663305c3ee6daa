// Finds the pipe tables of a Markdown text and the exact place of every cell, so the matrix can be
// read and a single cell rewritten without touching anything else. Tables inside code fences are
// not tables.

export interface RawCell {
  /** Trimmed text, with `\|` unescaped. */
  text: string;
  /** Offsets in the whole text of the raw segment between the pipes (padding included). */
  start: number;
  end: number;
  line: number;
  /** 1-based column (code points) where the trimmed text starts. */
  column: number;
}

export interface RawRow {
  line: number;
  cells: RawCell[];
}

export interface RawTable {
  header: RawRow;
  rows: RawRow[];
}

interface Line {
  text: string;
  /** Offset of the line's first character in the whole text. */
  offset: number;
  number: number;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let offset = 0;
  let number = 1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    lines.push({ text: text.slice(offset, m.index), offset, number: number++ });
    offset = m.index + m[0].length;
  }
  lines.push({ text: text.slice(offset), offset, number });
  return lines;
}

const codePoints = (s: string): number => [...s].length;

/** The cells of one table line, or null when the line has no unescaped pipe. */
function splitRow(line: Line): RawRow | null {
  const pipes: number[] = [];
  let inCode = false;
  for (let i = 0; i < line.text.length; i++) {
    const ch = line.text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '`') inCode = !inCode;
    else if (ch === '|' && !inCode) pipes.push(i);
  }
  if (pipes.length === 0) return null;
  const bounds: Array<[number, number]> = [];
  const leading = line.text.slice(0, pipes[0]).trim() === '';
  const trailing = line.text.slice(pipes[pipes.length - 1]! + 1).trim() === '';
  if (!leading) bounds.push([0, pipes[0]!]);
  for (let k = 0; k + 1 < pipes.length; k++) bounds.push([pipes[k]! + 1, pipes[k + 1]!]);
  if (!trailing) bounds.push([pipes[pipes.length - 1]! + 1, line.text.length]);
  const cells = bounds.map(([s, e]) => {
    const raw = line.text.slice(s, e);
    const lead = raw.length - raw.trimStart().length;
    return {
      text: raw.trim().replace(/\\\|/g, '|'),
      start: line.offset + s,
      end: line.offset + e,
      line: line.number,
      column: codePoints(line.text.slice(0, s + lead)) + 1,
    };
  });
  return { line: line.number, cells };
}

const isDelimiter = (row: RawRow): boolean =>
  row.cells.length > 0 && row.cells.every((c) => /^:?-{1,}:?$/.test(c.text.replace(/\s+/g, '')));

/** Every pipe table of the text, outside code fences, in order. */
export function findTables(text: string): RawTable[] {
  const lines = splitLines(text);
  const tables: RawTable[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line.text);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker[0]!.repeat(marker.length);
      else if (marker.startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const header = splitRow(line);
    const next = lines[i + 1];
    if (!header || !next) continue;
    const delimiter = splitRow(next);
    if (!delimiter || !isDelimiter(delimiter)) continue;
    const rows: RawRow[] = [];
    let j = i + 2;
    for (; j < lines.length; j++) {
      if (lines[j]!.text.trim() === '') break;
      const row = splitRow(lines[j]!);
      if (!row) break;
      rows.push(row);
    }
    tables.push({ header, rows });
    i = j - 1;
  }
  return tables;
}
