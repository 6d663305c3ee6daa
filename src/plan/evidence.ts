// Checks may update the matrix by evidence: with `plan.auto_update: true`, a `tables` check that
// finds an item's table present marks that item done in the matrix file (one cell each, audited as
// the system actor). Never the other way: a missing table is an alert, not a matrix edit. Nor does
// evidence move a phase to done while its quality gates do not pass: that item waits for a person.
import type { ImosConfig } from '../config/types.js';
import { recordAudit } from '../store/core-draft.js';
import type { Store } from '../store/types.js';
import type { AuditEntry } from '../model.js';
import { itemsIntegratedByEvidence } from './figures.js';
import { MatrixConflictError, readMatrixFile, setItemStatus } from './matrix-file.js';
import { planSettings } from '../config/plan-settings.js';
import { recordSnapshot } from './snapshots.js';
import { latestRuns } from '../gates/evaluate.js';
import { blockingGates, phasesCompletedBy } from './phase-gates.js';
import { resolvePhases } from './timeline.js';

export const EVIDENCE_ACTOR = 'imos';

/**
 * Mark done the matrix items whose tables `presentTables` shows exist (schema-qualified or bare
 * names). Returns the ids changed; does nothing unless `plan.auto_update` is on or the matrix is
 * not configured. A file edited meanwhile is left alone (the next run retries).
 */
export async function applyTableEvidence(config: ImosConfig, store: Store, presentTables: string[], now: number, checkId?: string): Promise<string[]> {
  if (!planSettings(config).autoUpdate || !config.matrix) return [];
  const loaded = await readMatrixFile(config.matrix);
  const ids = itemsIntegratedByEvidence(loaded.matrix, presentTables);
  const changed: string[] = [];
  const audit: AuditEntry[] = [];
  const read = config.gates.length > 0 ? latestRuns(await store.read('results')) : null;
  for (const id of ids) {
    try {
      const current = await readMatrixFile(config.matrix);
      if (read) {
        const completing = phasesCompletedBy(current.matrix, resolvePhases(config.phases, current.matrix), id, 'done');
        if (blockingGates(config, completing, read).length > 0) continue;
      }
      const change = await setItemStatus(config.matrix, id, 'done', { expectHash: current.hash });
      if (!change.changed) continue;
      changed.push(id);
      audit.push({
        at: new Date(now).toISOString(),
        actor: EVIDENCE_ACTOR,
        action: 'matrix-set',
        target: id,
        note: `table present${checkId ? ` (check ${checkId})` : ''}`,
        detail: { kind: 'item', from: change.from, to: change.to, file: config.matrix, evidence: checkId ?? 'tables' },
      });
    } catch (err) {
      if (err instanceof MatrixConflictError) break;
      throw err;
    }
  }
  if (audit.length) {
    await recordAudit(store, audit);
    await recordSnapshot(store, (await readMatrixFile(config.matrix)).matrix, now);
  }
  return changed;
}
