// Where the project stands in time: each phase and the whole project are On Track / At Risk /
// Delayed from completion against elapsed time, with the reason in words, and a forecast finish
// date fitted to the completion history. Pure: phases + matrix + snapshots + now → report.
import type { CompletionSnapshot } from '../model.js';
import type { PhaseConfig } from '../config/types.js';
import { addDays, localDate, startOfDay, DAY_MS } from '../time/dates.js';
import { phaseMembers, snapshotFraction } from './figures.js';
import { allEntities, type Matrix, type MatrixPhase } from './types.js';
import type { PlanSettings } from '../config/plan-settings.js';

export const TIMELINE_STATUSES = ['On Track', 'At Risk', 'Delayed'] as const;
export type TimelineStatus = (typeof TIMELINE_STATUSES)[number];

export interface PhaseInput {
  name: string;
  start: string;
  end: string;
  items?: string[];
}

export interface PhaseProgress {
  name: string;
  start: string;
  end: string;
  done: number;
  total: number;
  /** Whole percent of the phase's items and tasks done. */
  percent: number;
  /** Whole percent of the phase's time gone (0 before it starts, 100 after it ends). */
  elapsedPercent: number;
  status: TimelineStatus;
  /** "62 % done at 80 % of the time" */
  reason: string;
  /** Ids of the items, systems and tasks in the phase. */
  members: string[];
}

export interface Forecast {
  /** Forecast finish day (project timezone), or null when there is no forecast. */
  finish: string | null;
  /** How it was made, or why there is none. */
  basis: string;
  points: number;
  /** Percentage points per day of the fitted line. */
  pointsPerDay: number | null;
  /** The forecast falls after the last phase's end. */
  late: boolean;
}

export interface TimelineReport {
  phases: PhaseProgress[];
  project: (Omit<PhaseProgress, 'members'> & { forecast: Forecast }) | null;
}

/** Phases from the config when it has any, else from the matrix's phases table. */
export function resolvePhases(configPhases: PhaseConfig[], matrix: Matrix | null): PhaseInput[] {
  if (configPhases.length > 0) return configPhases;
  return (matrix?.phases ?? []).map((p: MatrixPhase) => ({ name: p.name, start: p.start, end: p.end, ...(p.items ? { items: p.items } : {}) }));
}

function judge(
  percent: number,
  elapsedPercent: number,
  startMs: number,
  endMs: number,
  now: number,
  start: string,
  end: string,
  total: number,
  settings: PlanSettings,
): { status: TimelineStatus; reason: string } {
  if (total === 0) return { status: 'On Track', reason: 'nothing in the matrix names this phase' };
  if (percent >= 100) return { status: 'On Track', reason: '100 % done' };
  if (now < startMs) return { status: 'On Track', reason: `starts ${start} (${percent} % done)` };
  if (now >= endMs) return { status: 'Delayed', reason: `${percent} % done, ended ${end}` };
  const reason = `${percent} % done at ${elapsedPercent} % of the time`;
  const gap = elapsedPercent - percent;
  if (gap > settings.timeline.delayedPoints) return { status: 'Delayed', reason };
  if (gap > settings.timeline.atRiskPoints) return { status: 'At Risk', reason };
  return { status: 'On Track', reason };
}

function span(start: string, end: string, timeZone: string): [number, number] {
  return [startOfDay(start, timeZone), startOfDay(addDays(end, 1), timeZone)];
}

function elapsed(startMs: number, endMs: number, now: number): number {
  if (endMs <= startMs) return now >= endMs ? 100 : 0;
  return Math.round(Math.min(1, Math.max(0, (now - startMs) / (endMs - startMs))) * 100);
}

/** Least-squares line through (day, percent) points; null when it cannot be fitted. */
function fit(points: Array<[number, number]>): { slope: number; intercept: number } | null {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export function forecastFinish(
  snapshots: readonly CompletionSnapshot[],
  minPoints: number,
  timeZone: string,
  projectEnd: string | null,
): Forecast {
  const sorted = snapshots
    .filter((s) => s.tablesTotal + s.systemsTotal + s.tasksTotal > 0 && Number.isFinite(Date.parse(s.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // One point per day (its last snapshot): a snapshot is taken on every change, and a burst of
  // `matrix set`s minutes apart is no history (a fit over seconds forecast "today, +300000 points/day").
  const byDay = new Map<string, CompletionSnapshot>();
  for (const s of sorted) byDay.set(localDate(Date.parse(s.at), timeZone), s);
  const usable = [...byDay.values()];
  const none = (basis: string): Forecast => ({ finish: null, basis, points: usable.length, pointsPerDay: null, late: false });
  if (usable.length < minPoints)
    return none(`no forecast: ${usable.length} day(s) of completion snapshots, at least ${minPoints} needed`);
  const first = usable[0]!;
  const last = usable[usable.length - 1]!;
  const range = `${localDate(Date.parse(first.at), timeZone)} → ${localDate(Date.parse(last.at), timeZone)}`;
  if (snapshotFraction(last) >= 1) {
    // Complete since the start of the last run at 100 % (it may have dropped when work was added).
    let from = usable.length - 1;
    while (from > 0 && snapshotFraction(usable[from - 1]!) >= 1) from--;
    const doneAt = usable[from]!;
    const finish = localDate(Date.parse(doneAt.at), timeZone);
    return { finish, basis: `complete since ${finish}`, points: usable.length, pointsPerDay: null, late: projectEnd !== null && finish > projectEnd };
  }
  const t0 = Date.parse(first.at);
  const line = fit(usable.map((s) => [(Date.parse(s.at) - t0) / DAY_MS, snapshotFraction(s) * 100]));
  if (!line) return none(`no forecast: the ${usable.length} snapshots were all taken at the same time`);
  const perDay = Math.round(line.slope * 100) / 100;
  if (line.slope <= 0) return none(`no forecast: completion did not rise over ${usable.length} snapshots (${range})`);
  const days = (100 - line.intercept) / line.slope;
  const finishMs = t0 + days * DAY_MS;
  // A fit that lands absurdly far away (years) says more about the data than the project.
  if (!Number.isFinite(finishMs) || finishMs > t0 + 3650 * DAY_MS)
    return none(`no forecast: progress over ${usable.length} snapshots (${range}) is too slow to extrapolate`);
  const finish = localDate(finishMs, timeZone);
  return {
    finish,
    basis: `linear fit over ${usable.length} snapshots (${range}), +${perDay} points/day`,
    points: usable.length,
    pointsPerDay: perDay,
    late: projectEnd !== null && finish > projectEnd,
  };
}

export function timeline(
  phases: PhaseInput[],
  matrix: Matrix,
  snapshots: readonly CompletionSnapshot[],
  now: number,
  settings: PlanSettings,
  timeZone: string,
): TimelineReport {
  const progress = phases.map((phase): PhaseProgress => {
    const members = phaseMembers(matrix, phase);
    const done = members.filter((m) => m.status === 'done').length;
    const percent = members.length === 0 ? 0 : Math.round((done / members.length) * 100);
    const [startMs, endMs] = span(phase.start, phase.end, timeZone);
    const elapsedPercent = elapsed(startMs, endMs, now);
    const verdict = judge(percent, elapsedPercent, startMs, endMs, now, phase.start, phase.end, members.length, settings);
    return {
      name: phase.name,
      start: phase.start,
      end: phase.end,
      done,
      total: members.length,
      percent,
      elapsedPercent,
      ...verdict,
      members: members.map((m) => m.id),
    };
  });
  if (phases.length === 0) return { phases: progress, project: null };
  const start = phases.map((p) => p.start).sort()[0]!;
  const end = phases.map((p) => p.end).sort().reverse()[0]!;
  const all = allEntities(matrix);
  const done = all.filter((e) => e.status === 'done').length;
  const percent = all.length === 0 ? 0 : Math.round((done / all.length) * 100);
  const [startMs, endMs] = span(start, end, timeZone);
  const elapsedPercent = elapsed(startMs, endMs, now);
  const verdict = judge(percent, elapsedPercent, startMs, endMs, now, start, end, all.length, settings);
  return {
    phases: progress,
    project: {
      name: 'Project',
      start,
      end,
      done,
      total: all.length,
      percent,
      elapsedPercent,
      ...verdict,
      forecast: forecastFinish(snapshots, settings.forecastMinPoints, timeZone, end),
    },
  };
}
