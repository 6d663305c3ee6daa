// One status set in the matrix, the same from every face (`imos matrix set`, the console's `:set`):
// the cell rewritten in place (src/plan/matrix-file.ts), an audit entry naming who and when, and a
// completion snapshot for the timeline's history.
import type { ImosConfig } from '../config/types.js';
import { recordAudit } from '../store/core-draft.js';
import type { Store } from '../store/types.js';
import { readMatrixFile, setItemStatus, type StatusChange } from './matrix-file.js';
import { matrixPath } from './overview.js';
import { recordSnapshot } from './snapshots.js';
import type { ItemStatus } from './types.js';

export async function setMatrixItemStatus(
  store: Store,
  config: Pick<ImosConfig, 'matrix' | 'file'>,
  item: string,
  status: ItemStatus,
  actor: string,
  now: number,
): Promise<StatusChange & { file: string }> {
  const file = matrixPath(config);
  const change = await setItemStatus(file, item, status);
  if (!change.changed) return { ...change, file };
  await recordAudit(store, [
    {
      at: new Date(now).toISOString(),
      actor,
      action: 'matrix-set',
      target: change.entity.id,
      detail: { kind: change.entity.kind, from: change.from, to: change.to, file },
    },
  ]);
  const { matrix } = await readMatrixFile(file);
  await recordSnapshot(store, matrix, now);
  return { ...change, file };
}
