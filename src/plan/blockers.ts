// Open blockers with their age, systems without a standup by the due time, and dependencies between
// systems that are blocked or late. Pure functions over the store's core section: the alert engine
// turns open blockers into BLOCKER alerts, the console and the reports list them.
import type { Blocker } from '../model.js';
import type { CoreData } from '../store/types.js';
import type { ImosConfig } from '../config/types.js';
import { localDate, localMinutes, weekdayOf, zonedInstant } from '../time/dates.js';
import { planSettings } from '../config/plan-settings.js';
import { openBlockerCopies } from './standups.js';
import type { Matrix } from './types.js';
import { formatDuration } from '../text/durations.js';

export interface OpenBlocker {
  id: string;
  system: string;
  text: string;
  waitsOn: Blocker['waitsOn'];
  openedAt: string;
  /** Milliseconds since it was first reported. */
  ageMs: number;
  /** Who reported it last, and in which standup. */
  author: string;
  standupId: string;
}

/** Every unresolved blocker, oldest first. */
export function openBlockers(core: Pick<CoreData, 'standups'>, now: number): OpenBlocker[] {
  return openBlockerCopies(core)
    .map(({ standup, blocker }) => ({
      id: blocker.id,
      system: standup.system,
      text: blocker.text,
      waitsOn: blocker.waitsOn,
      openedAt: blocker.openedAt,
      ageMs: Math.max(0, now - Date.parse(blocker.openedAt)),
      author: standup.author,
      standupId: standup.id,
    }))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** Blockers open at a past instant (for reports of a past day). */
export function blockersOpenAt(core: Pick<CoreData, 'standups'>, at: number): OpenBlocker[] {
  const seen = new Map<string, OpenBlocker>();
  for (const s of [...core.standups].sort((a, b) => a.at.localeCompare(b.at))) {
    for (const b of s.blockers) {
      const opened = Date.parse(b.openedAt);
      const resolved = b.resolvedAt ? Date.parse(b.resolvedAt) : Infinity;
      if (opened <= at && resolved > at && Date.parse(s.at) <= at)
        seen.set(b.id, { id: b.id, system: s.system, text: b.text, waitsOn: b.waitsOn, openedAt: b.openedAt, ageMs: at - opened, author: s.author, standupId: s.id });
    }
  }
  return [...seen.values()].sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}

export interface MissingStandup {
  system: string;
  /** Person id of the system leader (who is told), if any. */
  leader: string | null;
  date: string;
  /** When it was due (ISO). */
  dueAt: string;
}

/**
 * Systems with no standup today once the configured time has passed on a working day (project
 * timezone). Before the due time, and on days off, nothing is missing.
 */
export function missingStandups(config: Pick<ImosConfig, 'systems' | 'timezone' | 'plan' | 'file'>, core: Pick<CoreData, 'standups'>, now: number): MissingStandup[] {
  const settings = planSettings(config);
  const date = localDate(now, config.timezone);
  if (!settings.workingDays.includes(weekdayOf(date))) return [];
  if (localMinutes(now, config.timezone) < settings.standup.dueMinutes) return [];
  return missingOn(config, core, date);
}

/** Systems without a standup on `date` (regardless of the time of day; none on days off), for reports. */
export function missingOn(config: Pick<ImosConfig, 'systems' | 'timezone' | 'plan' | 'file'>, core: Pick<CoreData, 'standups'>, date: string): MissingStandup[] {
  const settings = planSettings(config);
  if (!settings.workingDays.includes(weekdayOf(date))) return [];
  const reported = new Set(core.standups.filter((s) => s.date === date).map((s) => s.system));
  const dueAt = new Date(zonedInstant(date, settings.standup.dueMinutes, config.timezone)).toISOString();
  return Object.values(config.systems)
    .filter((s) => !reported.has(s.id))
    .map((s) => ({ system: s.id, leader: s.leader ?? null, date, dueAt }));
}

export interface DependencyIssue {
  /** The system that waits. */
  system: string;
  /** What it waits on (a system id). */
  dependsOn: string;
  reason: string;
}

/**
 * Dependencies between systems that are blocked or late: a blocker that waits on a system; a
 * system whose dependency has open blockers, is marked blocked in the matrix, or has overdue tasks.
 */
export function dependencyIssues(
  config: Pick<ImosConfig, 'systems' | 'timezone'>,
  core: Pick<CoreData, 'standups'>,
  matrix: Matrix | null,
  now: number,
): DependencyIssue[] {
  const issues: DependencyIssue[] = [];
  const blockers = openBlockers(core, now);
  const today = localDate(now, config.timezone);
  for (const b of blockers) {
    if (b.waitsOn?.kind === 'system')
      issues.push({ system: b.system, dependsOn: b.waitsOn.id, reason: `${b.id} waits on ${b.waitsOn.id} for ${formatDuration(b.ageMs, 'largest')}: ${b.text}` });
  }
  for (const system of Object.values(config.systems)) {
    for (const dep of system.depends_on) {
      const own = blockers.filter((b) => b.system === dep);
      if (own.length) issues.push({ system: system.id, dependsOn: dep, reason: `${dep} is blocked (${own.map((b) => b.id).join(', ')})` });
      const row = matrix?.systems.find((s) => s.id === dep);
      if (row?.status === 'blocked') issues.push({ system: system.id, dependsOn: dep, reason: `${dep} is marked blocked in the matrix` });
      const late = (matrix?.tasks ?? []).filter((t) => t.system === dep && t.status !== 'done' && t.due !== null && t.due < today);
      if (late.length)
        issues.push({ system: system.id, dependsOn: dep, reason: `${dep} is late: ${late.map((t) => `${t.id} due ${t.due}`).join(', ')}` });
    }
  }
  return issues;
}
