// The phases a gate or `--phase` may name: the config's, else the matrix's Phases table.
import type { ImosConfig } from '../config/types.js';
import { readMatrixFile } from '../plan/matrix-file.js';
import { matrixPath } from '../plan/overview.js';
import { resolvePhases } from '../plan/timeline.js';

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
