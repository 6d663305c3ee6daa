// The plan as every face needs it: the matrix read from the configured file, its figures, the
// timeline with the forecast. One call for `imos matrix`, `imos today`, the reports and the console.
import type { ImosConfig } from '../config/types.js';
import type { CompletionSnapshot } from '../model.js';
import { matrixFigures, type MatrixFigures } from './figures.js';
import { MatrixError, readMatrixFile, type LoadedMatrix } from './matrix-file.js';
import { planSettings } from '../config/plan-settings.js';
import { resolvePhases, timeline, type TimelineReport } from './timeline.js';

export interface PlanOverview {
  file: string;
  loaded: LoadedMatrix;
  figures: MatrixFigures;
  timeline: TimelineReport;
}

/** The configured matrix path, or a MatrixError saying how to configure one. */
export function matrixPath(config: Pick<ImosConfig, 'matrix' | 'file'>): string {
  if (!config.matrix) throw new MatrixError(`${config.file}: no \`matrix:\` configured (the path of Integration_Management_Matrix.md)`, config.file);
  return config.matrix;
}

export function planOverviewOf(config: ImosConfig, loaded: LoadedMatrix, snapshots: readonly CompletionSnapshot[], now: number): PlanOverview {
  const phases = resolvePhases(config.phases, loaded.matrix);
  return {
    file: loaded.file,
    loaded,
    figures: matrixFigures(loaded.matrix, phases),
    timeline: timeline(phases, loaded.matrix, snapshots, now, planSettings(config), config.timezone),
  };
}

export async function loadPlanOverview(config: ImosConfig, snapshots: readonly CompletionSnapshot[], now: number): Promise<PlanOverview> {
  const loaded = await readMatrixFile(matrixPath(config));
  return planOverviewOf(config, loaded, snapshots, now);
}
