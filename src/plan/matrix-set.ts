// One status set in the matrix, the same from every face (`imos matrix set`, the console's `:set`):
// the cell rewritten in place (src/plan/matrix-file.ts), an audit entry naming who and when, and a
// completion snapshot for the timeline's history. A change that completes a phase whose quality
// gates do not pass is refused (PhaseGatesError), unless forced with a note for the audit log.
// A change whose audit entry cannot be stored is undone (MatrixAuditError): a status set, and above
// all a gate override, never stands without the entry saying who made it.
import type { ImosConfig } from '../config/types.js';
import { recordAudit } from '../store/core-draft.js';
import type { Store } from '../store/types.js';
import { latestRuns } from '../gates/evaluate.js';
import { MatrixConflictError, MatrixError, readMatrixFile, setItemStatus, type StatusChange } from './matrix-file.js';
import { blockingGates, phasesCompletedBy, PhaseGatesError, type PhaseGateBlock } from './phase-gates.js';
import { resolvePhases } from './timeline.js';
import { matrixPath } from './overview.js';
import { recordSnapshot } from './snapshots.js';
import { findEntity, type ItemStatus } from './types.js';

export async function setMatrixItemStatus(
  store: Store,
  config: Pick<ImosConfig, 'matrix' | 'file' | 'phases' | 'gates'>,
  item: string,
  status: ItemStatus,
  actor: string,
  now: number,
  /** Move phases to done even though their gates do not pass; the note goes to the audit log. */
  force?: { note: string },
): Promise<StatusChange & { file: string; overridden: PhaseGateBlock[] }> {
  const file = matrixPath(config);
  let overridden: PhaseGateBlock[] = [];
  let expectHash: string | undefined;
  if (status === 'done' && config.gates.length > 0) {
    // The decision is taken on this content: the write is refused if the file changes meanwhile.
    const loaded = await readMatrixFile(file);
    expectHash = loaded.hash;
    const completing = phasesCompletedBy(loaded.matrix, resolvePhases(config.phases, loaded.matrix), item, status);
    const blocks = completing.length > 0 ? blockingGates(config, completing, latestRuns(await store.read('results'))) : [];
    if (blocks.length > 0) {
      if (!force) throw new PhaseGatesError(findEntity(loaded.matrix, item)?.id ?? item, blocks);
      overridden = blocks;
    }
  }
  const change = await setItemStatus(file, item, status, expectHash ? { expectHash } : {});
  if (!change.changed) return { ...change, file, overridden: [] };
  const at = new Date(now).toISOString();
  await auditOrUndo(file, change, () => recordAudit(store, [
    {
      at,
      actor,
      action: 'matrix-set',
      target: change.entity.id,
      detail: { kind: change.entity.kind, from: change.from, to: change.to, file },
    },
    ...overridden.map((b) => ({
      at,
      actor,
      action: 'gate-override',
      target: b.phase,
      note: force!.note,
      detail: { item: change.entity.id, gates: b.gates.map((g) => ({ id: g.id, status: g.status, target: g.target })) },
    })),
  ]));
  const { matrix } = await readMatrixFile(file);
  await recordSnapshot(store, matrix, now);
  return { ...change, file, overridden };
}

/** The status change's audit entry could not be stored: the message says whether the change was undone. */
export class MatrixAuditError extends MatrixError {
  constructor(message: string, file: string) {
    super(message, file);
    this.name = 'MatrixAuditError';
  }
}

async function auditOrUndo(file: string, change: StatusChange, audit: () => Promise<void>): Promise<void> {
  try {
    await audit();
  } catch (err) {
    const why = (err as Error).message;
    const id = change.entity.id;
    try {
      // Only the file exactly as this change left it is put back: an edit made meanwhile stays.
      await setItemStatus(file, id, change.from, { expectHash: change.hash });
    } catch (undoErr) {
      const reason = undoErr instanceof MatrixConflictError ? 'the file changed meanwhile' : undoErr instanceof MatrixError ? undoErr.message : String(undoErr);
      throw new MatrixAuditError(
        `${file}: ${id} was set to ${change.to} but its audit entry could not be stored (${why}), and undoing it failed (${reason}): set it back by hand or record why`,
        file,
      );
    }
    throw new MatrixAuditError(`${file}: ${id} not changed: its audit entry could not be stored (${why}); the matrix is as it was`, file);
  }
}
