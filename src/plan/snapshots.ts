// Completion history in the store (the core section's snapshots): one point whenever the figures
// change, and at least one a day, so trends and the forecast have a series to read. Bounded in size.
import type { CompletionSnapshot } from '../model.js';
import type { Fence, Store } from '../store/types.js';
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

/** Pure: whether `next` is worth keeping (the figures changed, or the last one is from another day). */
export function isNewSnapshot(snapshots: readonly CompletionSnapshot[], next: CompletionSnapshot): boolean {
  const last = snapshots[snapshots.length - 1];
  return !(last && sameFigures(last, next) && last.at.slice(0, 10) === next.at.slice(0, 10));
}

/** Record the matrix's completion at `now` (the poller calls this after each matrix read). */
export async function recordSnapshot(store: Store, matrix: Matrix, now: number, options: { fence?: Fence } = {}): Promise<boolean> {
  const next = snapshotOf(matrix, new Date(now).toISOString());
  if (!isNewSnapshot((await store.read('core')).snapshots, next)) return false;
  return store.transact(
    'core',
    (tx) => {
      const snapshots = tx.all('snapshots');
      if (!isNewSnapshot(snapshots, next)) return false;
      tx.put('snapshots', next);
      // Bounded: the oldest points go.
      for (const old of snapshots.slice(0, Math.max(0, snapshots.length + 1 - MAX_SNAPSHOTS))) tx.delete('snapshots', old.at);
      return true;
    },
    options,
  );
}
