// Reads Integration_Management_Matrix.md: the integration items table (tables to integrate), the
// systems table, the tasks table and an optional phases table, recognised by their header
// columns. Everything else in the file (prose, headings, other tables) is left alone.
// Errors name the line and column and say what was expected.
import { findTables, type RawCell, type RawRow, type RawTable } from './markdown-tables.js';
import {
  PRIORITY_HELP,
  STATUS_HELP,
  parseEstimate,
  parsePriority,
  parseStatus,
} from './vocabulary.js';
import { isDate } from '../time/dates.js';
import type {
  CellRef,
  IntegrationItem,
  Matrix,
  MatrixEntity,
  MatrixIssue,
  MatrixPhase,
  ParseResult,
  SystemRow,
  Task,
} from './types.js';
import { sanitizeLine } from '../text/sanitize.js';

type Column =
  | 'id'
  | 'table'
  | 'system'
  | 'status'
  | 'owner'
  | 'assignee'
  | 'phase'
  | 'priority'
  | 'dependsOn'
  | 'notes'
  | 'task'
  | 'estimate'
  | 'due'
  | 'since'
  | 'name'
  | 'leader'
  | 'start'
  | 'end'
  | 'items';

const ALIASES: Record<string, Column> = {
  id: 'id',
  '#': 'id',
  table: 'table',
  'table name': 'table',
  テーブル: 'table',
  テーブル名: 'table',
  system: 'system',
  システム: 'system',
  status: 'status',
  state: 'status',
  connected: 'status',
  connection: 'status',
  状態: 'status',
  ステータス: 'status',
  接続: 'status',
  owner: 'owner',
  担当: 'owner',
  担当者: 'owner',
  assignee: 'assignee',
  phase: 'phase',
  フェーズ: 'phase',
  priority: 'priority',
  優先度: 'priority',
  'depends on': 'dependsOn',
  depends: 'dependsOn',
  dependencies: 'dependsOn',
  'depends_on': 'dependsOn',
  依存: 'dependsOn',
  依存関係: 'dependsOn',
  notes: 'notes',
  note: 'notes',
  備考: 'notes',
  メモ: 'notes',
  task: 'task',
  タスク: 'task',
  estimate: 'estimate',
  est: 'estimate',
  見積: 'estimate',
  見積もり: 'estimate',
  due: 'due',
  deadline: 'due',
  期限: 'due',
  since: 'since',
  接続日: 'since',
  name: 'name',
  名前: 'name',
  leader: 'leader',
  リーダー: 'leader',
  start: 'start',
  開始: 'start',
  end: 'end',
  終了: 'end',
  items: 'items',
  contains: 'items',
};

function columnOf(header: string): Column | null {
  const key = header
    .replace(/[*_`]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
  return ALIASES[key] ?? null;
}

type TableKind = 'items' | 'systems' | 'tasks' | 'phases';

function classify(columns: Set<Column>): TableKind | null {
  if (columns.has('task') && columns.has('id')) return 'tasks';
  if (columns.has('table') && columns.has('status')) return 'items';
  if (columns.has('phase') && columns.has('start') && columns.has('end') && !columns.has('status')) return 'phases';
  if (columns.has('system') && columns.has('status')) return 'systems';
  return null;
}

const EMPTY_MARKERS = new Set(['', '-', '—', '–', 'none', 'なし', 'n/a']);
const isEmpty = (text: string): boolean => EMPTY_MARKERS.has(text.trim().toLowerCase());

function splitIds(text: string): string[] {
  if (isEmpty(text)) return [];
  return text
    .split(/[,、，;\s]+/)
    .map((s) => s.replace(/[`*]/g, '').trim())
    .filter((s) => s && !isEmpty(s));
}

/** Outside text in cells: no control sequences, one line. */
const clean = (text: string): string => sanitizeLine(text, 500);

interface Context {
  file: string;
  errors: MatrixIssue[];
  /** Where each phase row lists its ids, checked once every table is read. */
  phaseItems?: Array<{ name: string; ids: string[]; at: { line: number; column: number } }>;
}

function issue(ctx: Context, at: { line: number; column: number }, message: string): void {
  ctx.errors.push({ file: ctx.file, line: at.line, column: at.column, message });
}

class RowReader {
  constructor(
    private readonly map: Map<Column, number>,
    readonly row: RawRow,
    private readonly headerRow: RawRow,
  ) {}
  cell(column: Column): RawCell | undefined {
    const index = this.map.get(column);
    return index === undefined ? undefined : this.row.cells[index];
  }
  text(column: Column): string {
    return clean(this.cell(column)?.text ?? '');
  }
  /** Text of an optional cell: '' for an empty marker such as "-". */
  optional(column: Column): string {
    const text = this.text(column);
    return isEmpty(text) ? '' : text;
  }
  /** Where to point at for a missing cell: the end of the row. */
  at(column: Column): { line: number; column: number } {
    const c = this.cell(column);
    if (c) return c;
    const last = this.row.cells[this.row.cells.length - 1];
    return { line: this.row.line, column: last ? last.column : 1 };
  }
  get headerLine(): number {
    return this.headerRow.line;
  }
}

function toRef(cell: RawCell): CellRef {
  return { line: cell.line, column: cell.column, start: cell.start, end: cell.end, text: cell.text };
}

function readBase(ctx: Context, r: RowReader, id: string, idCell: RawCell) {
  const statusCell = r.cell('status');
  let status = statusCell ? parseStatus(statusCell.text) : null;
  if (!statusCell) {
    issue(ctx, r.at('status'), `row "${id}" has no Status cell`);
  } else if (!status) {
    issue(ctx, statusCell, `unknown status "${clean(statusCell.text)}" for "${id}": expected ${STATUS_HELP}`);
  }
  const priorityText = r.text('priority');
  let priority = null;
  if (!isEmpty(priorityText)) {
    priority = parsePriority(priorityText);
    if (!priority) issue(ctx, r.at('priority'), `unknown priority "${priorityText}" for "${id}": expected ${PRIORITY_HELP}`);
  }
  const phase = r.text('phase');
  return {
    id,
    status: status ?? 'todo',
    statusCell: toRef(statusCell ?? idCell),
    line: r.row.line,
    phase: isEmpty(phase) ? null : phase,
    priority,
    dependsOn: splitIds(r.cell('dependsOn')?.text ?? ''),
    dependsOnAt: r.cell('dependsOn') ? { line: r.row.line, column: r.cell('dependsOn')!.column } : null,
    notes: isEmpty(r.text('notes')) ? '' : r.text('notes'),
  };
}

function readTable(ctx: Context, table: RawTable, kind: TableKind, map: Map<Column, number>, into: Matrix): void {
  for (const row of table.rows) {
    const r = new RowReader(map, row, table.header);
    if (row.cells.every((c) => c.text === '')) continue;
    if (kind === 'items') {
      const tableCell = r.cell('table');
      const name = r.text('table').replace(/`/g, '');
      if (!tableCell || isEmpty(name)) {
        issue(ctx, r.at('table'), 'integration item without a table name');
        continue;
      }
      const idCell = r.cell('id');
      const id = idCell && !isEmpty(idCell.text) ? clean(idCell.text) : name;
      const item: IntegrationItem = {
        kind: 'item',
        ...readBase(ctx, r, id, idCell ?? tableCell),
        table: name,
        system: r.optional('system'),
        owner: r.optional('owner'),
      };
      into.items.push(item);
    } else if (kind === 'systems') {
      const idCell = r.cell('system');
      const id = r.text('system').replace(/`/g, '');
      if (!idCell || isEmpty(id)) {
        issue(ctx, r.at('system'), 'system row without a system id');
        continue;
      }
      const since = r.text('since');
      if (!isEmpty(since) && !isDate(since)) issue(ctx, r.at('since'), `"${since}" is not a date: expected YYYY-MM-DD`);
      const system: SystemRow = {
        kind: 'system',
        ...readBase(ctx, r, id, idCell),
        name: r.text('name') || id,
        since: isEmpty(since) ? null : since,
        leader: r.optional('leader'),
      };
      into.systems.push(system);
    } else if (kind === 'tasks') {
      const idCell = r.cell('id')!;
      const id = clean(idCell?.text ?? '');
      if (isEmpty(id)) {
        issue(ctx, r.at('id'), 'task without an id');
        continue;
      }
      const estimateText = r.text('estimate');
      let estimateDays: number | null = null;
      if (!isEmpty(estimateText)) {
        estimateDays = parseEstimate(estimateText);
        if (estimateDays === null)
          issue(ctx, r.at('estimate'), `estimate "${estimateText}" for "${id}" is not a duration: expected e.g. 2d, 4h, 1w`);
      }
      const due = r.text('due');
      if (!isEmpty(due) && !isDate(due)) issue(ctx, r.at('due'), `due "${due}" for "${id}" is not a date: expected YYYY-MM-DD`);
      const task: Task = {
        kind: 'task',
        ...readBase(ctx, r, id, idCell),
        title: r.text('task'),
        system: r.optional('system'),
        assignee: r.optional('assignee') || r.optional('owner'),
        estimateDays,
        due: isEmpty(due) ? null : due,
      };
      into.tasks.push(task);
    } else {
      const name = r.text('phase');
      if (isEmpty(name)) continue;
      const start = r.text('start');
      const end = r.text('end');
      if (!isDate(start)) issue(ctx, r.at('start'), `phase "${name}" start "${start}" is not a date: expected YYYY-MM-DD`);
      if (!isDate(end)) issue(ctx, r.at('end'), `phase "${name}" end "${end}" is not a date: expected YYYY-MM-DD`);
      else if (isDate(start) && end < start) issue(ctx, r.at('end'), `phase "${name}" ends (${end}) before it starts (${start})`);
      const items = splitIds(r.cell('items')?.text ?? '');
      if (items.length) (ctx.phaseItems ??= []).push({ name, ids: items, at: r.at('items') });
      const phase: MatrixPhase = { name, start, end, line: row.line, ...(items.length ? { items } : {}) };
      into.phases.push(phase);
    }
  }
}

const REQUIRED: Record<TableKind, Column[]> = {
  items: ['table', 'status'],
  systems: ['system', 'status'],
  tasks: ['id', 'task', 'status'],
  phases: ['phase', 'start', 'end'],
};

/** Parse a matrix. `file` is used in messages only. */
export function parseMatrix(text: string, file: string): ParseResult {
  const ctx: Context = { file, errors: [] };
  const matrix: Matrix = { file, items: [], systems: [], tasks: [], phases: [] };
  for (const table of findTables(text)) {
    const map = new Map<Column, number>();
    table.header.cells.forEach((cell, index) => {
      const column = columnOf(cell.text);
      if (column && !map.has(column)) map.set(column, index);
    });
    const kind = classify(new Set(map.keys()));
    if (!kind) continue;
    for (const col of REQUIRED[kind]) {
      if (!map.has(col)) issue(ctx, { line: table.header.line, column: 1 }, `${kind} table has no ${col} column`);
    }
    readTable(ctx, table, kind, map, matrix);
  }
  checkReferences(ctx, matrix);
  if (ctx.errors.length) return { ok: false, errors: ctx.errors };
  return { ok: true, matrix };
}

/** Unique ids, dependencies that exist, no cycles (named step by step). */
function checkReferences(ctx: Context, matrix: Matrix): void {
  const all: MatrixEntity[] = [...matrix.items, ...matrix.systems, ...matrix.tasks];
  const byId = new Map<string, MatrixEntity>();
  for (const e of all) {
    const key = e.id.toLowerCase();
    const earlier = byId.get(key);
    if (earlier) {
      // A system id may equal an item id of another kind only if it is the same thing: forbid.
      issue(ctx, { line: e.line, column: 1 }, `duplicate id "${e.id}" (first used on line ${earlier.line})`);
      continue;
    }
    byId.set(key, e);
  }
  for (const e of all) {
    for (const dep of e.dependsOn) {
      if (!byId.has(dep.toLowerCase())) {
        issue(
          ctx,
          e.dependsOnAt ?? { line: e.line, column: 1 },
          `"${e.id}" depends on "${dep}", which is not a task, table or system in the matrix`,
        );
      }
    }
  }
  // A phase listing an id that is not there silently lost that work from its figures.
  for (const p of ctx.phaseItems ?? []) {
    for (const id of p.ids) {
      if (!byId.has(id.toLowerCase())) issue(ctx, p.at, `phase "${p.name}" lists "${id}", which is not a task, table or system in the matrix`);
    }
  }
  // Cycle search: depth-first, reporting each cycle once with its steps.
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: MatrixEntity[] = [];
  const reported = new Set<string>();
  const visit = (e: MatrixEntity): void => {
    const key = e.id.toLowerCase();
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      const from = stack.findIndex((s) => s.id.toLowerCase() === key);
      const cycle = [...stack.slice(from), e];
      const signature = cycle
        .slice(0, -1)
        .map((c) => c.id)
        .sort()
        .join(',');
      if (!reported.has(signature)) {
        reported.add(signature);
        issue(
          ctx,
          { line: cycle[0]!.line, column: 1 },
          `dependency cycle: ${cycle.map((c) => `${c.id} (line ${c.line})`).join(' → ')}`,
        );
      }
      return;
    }
    state.set(key, 'visiting');
    stack.push(e);
    for (const dep of e.dependsOn) {
      const target = byId.get(dep.toLowerCase());
      if (target) visit(target);
    }
    stack.pop();
    state.set(key, 'done');
  };
  for (const e of all) visit(e);
}
