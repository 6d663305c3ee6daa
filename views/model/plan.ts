// The matrix figures for the overview and the timeline, read through src/plan (one reading of the
// matrix for every face). Loaded lazily: the first frame does not wait for the matrix parser.
import type { PlanLoader, PlanSummary } from './data.js';
import { statusFromPhases } from './timeline.js';

export const loadPlanSummary: PlanLoader = async (config, data, nowMs) => {
  if (!config.matrix) return null;
  const { loadPlanOverview } = await import('../../src/plan/overview.js');
  const plan = await loadPlanOverview(config, data.core.snapshots, nowMs);
  const project = plan.timeline.project;
  const phases: PlanSummary['phases'] = {};
  for (const p of plan.timeline.phases) phases[p.name] = { percent: p.percent, status: p.status };
  const overall = statusFromPhases(plan.timeline.phases, project?.percent ?? null);
  return {
    tables: { done: plan.figures.tables.done, total: plan.figures.tables.total },
    systems: { done: plan.figures.systems.done, total: plan.figures.systems.total },
    highPriorityTasks: plan.figures.ready.filter((t) => t.priority === 'CRITICAL' || t.priority === 'HIGH').length,
    // The project's line follows from its phases (the whole-matrix judgement could say On Track
    // above two phases At Risk); without phases, the matrix's own.
    status: overall?.status ?? project?.status ?? null,
    reason: overall?.reason ?? project?.reason ?? null,
    forecast: project?.forecast.finish ?? null,
    forecastBasis: project?.forecast.basis ?? null,
    phases,
    phaseList: plan.timeline.phases.map((p) => ({ name: p.name, start: p.start, end: p.end })),
    itemIds: [...plan.loaded.matrix.items, ...plan.loaded.matrix.systems, ...plan.loaded.matrix.tasks].map((e) => e.id),
    taskIds: plan.loaded.matrix.tasks.map((t) => t.id),
  };
};
