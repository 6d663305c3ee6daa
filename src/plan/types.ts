// The integration matrix as data: what the parser returns and the figures / timeline read.

export const ITEM_STATUSES = ['done', 'in-progress', 'todo', 'blocked'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type EntityKind = 'item' | 'system' | 'task';

/** Where a cell sits: 1-based line and column (code points), and its raw segment's offsets. */
export interface CellRef {
  line: number;
  column: number;
  /** Offsets in the file text of the raw segment between the two pipes (padding included). */
  start: number;
  end: number;
  /** The cell's text, trimmed. */
  text: string;
}

interface EntityBase {
  kind: EntityKind;
  id: string;
  status: ItemStatus;
  statusCell: CellRef;
  line: number;
  phase: string | null;
  priority: Priority | null;
  dependsOn: string[];
  /** Where the depends-on cell is, for messages. */
  dependsOnAt: { line: number; column: number } | null;
  notes: string;
}

/** A table to integrate (a row of the integration items table). */
export interface IntegrationItem extends EntityBase {
  kind: 'item';
  table: string;
  system: string;
  owner: string;
}

/** A system to connect (a row of the systems table); `done` means connected. */
export interface SystemRow extends EntityBase {
  kind: 'system';
  name: string;
  since: string | null;
  leader: string;
}

export interface Task extends EntityBase {
  kind: 'task';
  title: string;
  system: string;
  assignee: string;
  /** Working days; hours count 8 to a day, weeks 5 days. */
  estimateDays: number | null;
  due: string | null;
}

export type MatrixEntity = IntegrationItem | SystemRow | Task;

export interface MatrixPhase {
  name: string;
  start: string;
  end: string;
  /** Ids listed in the phase row, if any (otherwise entities whose phase column names it). */
  items?: string[];
  line?: number;
}

export interface Matrix {
  file: string;
  items: IntegrationItem[];
  systems: SystemRow[];
  tasks: Task[];
  phases: MatrixPhase[];
}

export interface MatrixIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type ParseResult = { ok: true; matrix: Matrix } | { ok: false; errors: MatrixIssue[] };

export function formatIssue(issue: MatrixIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

export function allEntities(matrix: Matrix): MatrixEntity[] {
  return [...matrix.items, ...matrix.systems, ...matrix.tasks];
}

export function findEntity(matrix: Matrix, id: string): MatrixEntity | undefined {
  const wanted = id.trim().toLowerCase();
  return allEntities(matrix).find((e) => e.id.toLowerCase() === wanted);
}
