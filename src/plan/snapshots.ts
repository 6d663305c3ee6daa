// Completion history in the store (core.snapshots): one point whenever the figures change, and at
// least one a day, so trends and the forecast have a series to read. Bounded in size.
import type { CompletionSnapshot } from '../model.js';
import type { CoreData, Store } from '../store/types.js';
import { snapshotOf } from './figures.js';
import type { Matrix } from './types.js';

export const MAX_SNAPSHOTS = 1000;

const sameFigures = (a: CompletionSnapshot, b: CompletionSnapshot): boolean =>
  a.tablesDone === b.tablesDone &&
  a.tablesTotal === b.tablesTotal &&
  a.systemsDone === b.systemsDone &&
  a.systemsTotal === b.systemsTotal &&
  a.tasksDone === b.tasksDone &&
  a.tasksTotal === b.tasksTotal;

/** Pure: append a snapshot when the figures changed or the last one is from another day. */
export function withSnapshot(snapshots: CompletionSnapshot[], next: CompletionSnapshot): CompletionSnapshot[] | null {
  const last = snapshots[snapshots.length - 1];
  if (last && sameFigures(last, next) && last.at.slice(0, 10) === next.at.slice(0, 10)) return null;
  const out = [...snapshots, next];
  return out.length > MAX_SNAPSHOTS ? out.slice(out.length - MAX_SNAPSHOTS) : out;
}

/** Record the matrix's completion at `now` (the daemon calls this after each matrix read). */
export async function recordSnapshot(store: Store, matrix: Matrix, now: number): Promise<boolean> {
  const next = snapshotOf(matrix, new Date(now).toISOString());
  return store.update('core', (core: CoreData) => {
    const updated = withSnapshot(core.snapshots, next);
    if (!updated) return false;
    core.snapshots = updated;
    return true;
  });
}
