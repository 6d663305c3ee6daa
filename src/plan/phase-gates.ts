// Phases and their quality gates: which phases a status change completes (every item, system and
// task of the phase done), and which of those phases' gates do not pass — moving a phase to done
// is refused then, unless forced with a note (src/plan/matrix-set.ts).
import type { ImosConfig } from '../config/types.js';
import { evaluateGates, type GateCheckInput, type GateResult } from '../gates/evaluate.js';
import { phaseMembers } from './figures.js';
import { readMatrixFile } from './matrix-file.js';
import { matrixPath } from './overview.js';
import { resolvePhases, type PhaseInput } from './timeline.js';
import { findEntity, type ItemStatus, type Matrix } from './types.js';

/** The phases a gate or `--phase` may name: the config's, else the matrix's Phases table. */
export async function knownPhases(config: ImosConfig): Promise<string[]> {
  if (config.phases.length > 0 || !config.matrix) return config.phases.map((p) => p.name);
  try {
    const { matrix } = await readMatrixFile(matrixPath(config));
    return resolvePhases(config.phases, matrix).map((p) => p.name);
  } catch {
    // An unreadable matrix names no phases; `imos matrix` reports why.
    return [];
  }
}

/** Pure: the phases that setting `id` to `status` moves to done (not all done before, all done after). */
export function phasesCompletedBy(matrix: Matrix, phases: readonly PhaseInput[], id: string, status: ItemStatus): PhaseInput[] {
  const entity = findEntity(matrix, id);
  if (!entity || status !== 'done' || entity.status === 'done') return [];
  return phases.filter((phase) => {
    const members = phaseMembers(matrix, phase);
    return members.includes(entity) && members.every((m) => m === entity || m.status === 'done');
  });
}

export interface PhaseGateBlock {
  phase: string;
  /** The phase's gates that do not pass (failing, or not known yet). */
  gates: GateResult[];
}

/** Pure: per completed phase, its gates that do not pass (phases whose gates all pass are left out). */
export function blockingGates(config: Pick<ImosConfig, 'gates'>, phases: readonly PhaseInput[], read: (checkId: string) => GateCheckInput | null): PhaseGateBlock[] {
  return phases
    .map((p) => ({ phase: p.name, gates: evaluateGates(config.gates, read, { phase: p.name }).filter((g) => g.status !== 'pass') }))
    .filter((b) => b.gates.length > 0);
}

/** Refused: the change would move phases to done while their gates do not pass. */
export class PhaseGatesError extends Error {
  constructor(
    readonly item: string,
    readonly blocks: PhaseGateBlock[],
  ) {
    super(
      `refused: ${item} done completes ${blocks.map((b) => `"${b.phase}"`).join(' and ')}, whose quality gates do not pass: ` +
        blocks.flatMap((b) => b.gates.map((g) => `${g.id} (${g.status === 'fail' ? 'failing' : 'not known yet'}: ${firstReason(g)})`)).join('; '),
    );
    this.name = 'PhaseGatesError';
  }
}

function firstReason(gate: GateResult): string {
  const e = gate.evidence.find((x) => x.verdict === gate.status) ?? gate.evidence[0];
  return e ? `${e.check} ${e.reason}` : gate.target;
}

