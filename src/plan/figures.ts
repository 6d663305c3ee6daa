// Derived figures of the matrix: completion of tables and systems, which tasks are ready, blocked
// or in progress, their order of work, and the critical path to the end of each phase.
import { phaseNameMatches } from '../config/phases.js';
import { PRIORITY_RANK } from './vocabulary.js';
import { allEntities, type Matrix, type MatrixEntity, type MatrixPhase, type Priority, type Task } from './types.js';
import type { CompletionSnapshot } from '../model.js';

export interface Completion {
  done: number;
  total: number;
  /** Whole percent, rounded; 0 when total is 0. */
  percent: number;
  /** "85% (11/13 tables)" */
  label: string;
}

export function completion(done: number, total: number, noun: string): Completion {
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return { done, total, percent, label: `${percent}% (${done}/${total} ${noun})` };
}

export interface TaskView {
  id: string;
  title: string;
  system: string;
  priority: Priority;
  status: Task['status'];
  assignee: string;
  estimateDays: number | null;
  due: string | null;
  phase: string | null;
  /** Longest chain of not-done work waiting on this task (0: nothing waits on it). */
  depth: number;
  /** Dependencies not done yet. */
  waitingOn: string[];
}

export interface CriticalPath {
  /** Phase name, or null for the whole project. */
  phase: string | null;
  /** Task ids in the order they must be done. */
  steps: string[];
  /** Sum of the remaining estimates on the path, in working days. */
  days: number;
  /** Tasks on the path without an estimate (counted as 0). */
  unestimated: string[];
}

export interface MatrixFigures {
  tables: Completion;
  systems: Completion;
  tasks: Completion;
  ready: TaskView[];
  blocked: TaskView[];
  inProgress: TaskView[];
  criticalPaths: CriticalPath[];
}

function index(matrix: Matrix): Map<string, MatrixEntity> {
  return new Map(allEntities(matrix).map((e) => [e.id.toLowerCase(), e]));
}

const isDone = (e: MatrixEntity | undefined): boolean => e?.status === 'done';

/** For each entity, the longest chain of not-done entities that (transitively) wait on it. */
function dependentDepths(matrix: Matrix): Map<string, number> {
  const all = allEntities(matrix);
  const dependents = new Map<string, MatrixEntity[]>();
  for (const e of all) {
    if (e.status === 'done') continue;
    for (const d of e.dependsOn) {
      const key = d.toLowerCase();
      dependents.set(key, [...(dependents.get(key) ?? []), e]);
    }
  }
  const memo = new Map<string, number>();
  const depth = (key: string, guard: number): number => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (guard > all.length) return 0; // cycles are rejected by the parser; stay bounded anyway
    let best = 0;
    for (const child of dependents.get(key) ?? []) best = Math.max(best, 1 + depth(child.id.toLowerCase(), guard + 1));
    memo.set(key, best);
    return best;
  };
  for (const e of all) depth(e.id.toLowerCase(), 0);
  return memo;
}

/** Work order: CRITICAL → HIGH → MEDIUM → LOW, then the longest chain waiting on it, then due, then id. */
export function compareTasks(a: TaskView, b: TaskView): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    b.depth - a.depth ||
    (a.due ?? '9999').localeCompare(b.due ?? '9999') ||
    a.id.localeCompare(b.id, 'en', { numeric: true })
  );
}

export function taskViews(matrix: Matrix): TaskView[] {
  const byId = index(matrix);
  const depths = dependentDepths(matrix);
  return matrix.tasks.map((t) => ({
    id: t.id,
    title: t.title,
    system: t.system,
    priority: t.priority ?? 'MEDIUM',
    status: t.status,
    assignee: t.assignee,
    estimateDays: t.estimateDays,
    due: t.due,
    phase: t.phase,
    depth: depths.get(t.id.toLowerCase()) ?? 0,
    waitingOn: t.dependsOn.filter((d) => !isDone(byId.get(d.toLowerCase()))),
  }));
}

/** A phase's entities: those listed in it, else those whose phase cell names it. */
export function phaseMembers(matrix: Matrix, phase: Pick<MatrixPhase, 'name' | 'items'>): MatrixEntity[] {
  const all = allEntities(matrix);
  if (phase.items && phase.items.length) {
    const wanted = new Set(phase.items.map((i) => i.toLowerCase()));
    return all.filter((e) => wanted.has(e.id.toLowerCase()));
  }
  return all.filter((e) => e.phase !== null && phaseNameMatches(phase.name, e.phase));
}

/**
 * The longest chain (by remaining estimate) of not-done tasks that ends the given set: the order in
 * which the remaining work must happen at best. Prerequisites outside the set count too.
 */
export function criticalPath(matrix: Matrix, targets: MatrixEntity[], phase: string | null): CriticalPath {
  const byId = index(matrix);
  const memo = new Map<string, { days: number; steps: string[] }>();
  const longest = (e: MatrixEntity, guard: number): { days: number; steps: string[] } => {
    const key = e.id.toLowerCase();
    const known = memo.get(key);
    if (known) return known;
    let best = { days: 0, steps: [] as string[] };
    if (e.status !== 'done' && guard <= byId.size) {
      for (const d of e.dependsOn) {
        const dep = byId.get(d.toLowerCase());
        if (!dep) continue;
        const sub = longest(dep, guard + 1);
        if (sub.days > best.days || (sub.days === best.days && sub.steps.length > best.steps.length)) best = sub;
      }
      const own = e.kind === 'task' ? (e.estimateDays ?? 0) : 0;
      best = { days: best.days + own, steps: [...best.steps, e.id] };
    }
    memo.set(key, best);
    return best;
  };
  let best = { days: 0, steps: [] as string[] };
  for (const t of targets) {
    const p = longest(t, 0);
    if (p.days > best.days || (p.days === best.days && p.steps.length > best.steps.length)) best = p;
  }
  const unestimated = best.steps.filter((id) => {
    const e = byId.get(id.toLowerCase());
    return e?.kind === 'task' && e.estimateDays === null;
  });
  return { phase, steps: best.steps, days: Math.round(best.days * 100) / 100, unestimated };
}

export function matrixFigures(matrix: Matrix, phases: Array<Pick<MatrixPhase, 'name' | 'items'>> = matrix.phases): MatrixFigures {
  const views = taskViews(matrix).sort(compareTasks);
  const open = views.filter((t) => t.status !== 'done');
  const ready = open.filter((t) => t.status === 'todo' && t.waitingOn.length === 0);
  const blocked = open.filter((t) => t.status === 'blocked' || (t.status === 'todo' && t.waitingOn.length > 0));
  const inProgress = open.filter((t) => t.status === 'in-progress');
  const criticalPaths = phases.map((p) => criticalPath(matrix, phaseMembers(matrix, p), p.name));
  criticalPaths.push(criticalPath(matrix, allEntities(matrix), null));
  return {
    tables: completion(matrix.items.filter(isDone).length, matrix.items.length, 'tables'),
    systems: completion(matrix.systems.filter(isDone).length, matrix.systems.length, 'systems'),
    tasks: completion(matrix.tasks.filter(isDone).length, matrix.tasks.length, 'tasks'),
    ready,
    blocked,
    inProgress,
    criticalPaths,
  };
}

/** A completion snapshot of the matrix at `at`, for the store's history. */
export function snapshotOf(matrix: Matrix, at: string): CompletionSnapshot {
  return {
    at,
    tablesDone: matrix.items.filter(isDone).length,
    tablesTotal: matrix.items.length,
    systemsDone: matrix.systems.filter(isDone).length,
    systemsTotal: matrix.systems.length,
    tasksDone: matrix.tasks.filter(isDone).length,
    tasksTotal: matrix.tasks.length,
  };
}

/** Overall completion (0…1) of a snapshot: every table, system and task counts one. */
export function snapshotFraction(s: CompletionSnapshot): number {
  const total = s.tablesTotal + s.systemsTotal + s.tasksTotal;
  return total === 0 ? 0 : (s.tablesDone + s.systemsDone + s.tasksDone) / total;
}

/** Items of the matrix whose table a `tables` check found present (for `auto_update`). */
export function itemsIntegratedByEvidence(matrix: Matrix, presentTables: string[]): string[] {
  const bare = (t: string): string => t.toLowerCase().replace(/^public\./, '');
  const present = new Set(presentTables.map(bare));
  return matrix.items.filter((i) => i.status !== 'done' && present.has(bare(i.table))).map((i) => i.id);
}
