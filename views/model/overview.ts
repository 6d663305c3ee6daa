// The overview's figures (completion, connections, open alerts, tasks, timeline status, checks,
// standups) and today's standups. Pure: config + loaded data + now → figures.
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, CompletionSnapshot, Standup } from '../../src/model.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import type { ConsoleData } from './data.js';
import { dayIn, msOf as ms, percent, ratioLabel } from './format.js';
import { timelineRows } from './timeline.js';

export interface Overview {
  completion: string;
  connections: string;
  critical: number;
  high: number;
  medium: number;
  highPriorityTasks: number | null;
  timeline: string;
  timelineReason: string | null;
  forecast: string | null;
  checksPassing: number;
  checksTotal: number;
  completionHistory: number[];
  alertHistory: number[];
  openBlockers: number;
  standupsToday: number;
}

/** Completion in percent for each snapshot (the sparkline). */
function completionSeries(snapshots: readonly CompletionSnapshot[]): number[] {
  return snapshots.slice(-60).map((s) => percent(s.tablesDone, s.tablesTotal));
}

/** Open alerts at the end of each of `buckets` hours before now (the sparkline). */
export function openAlertSeries(alerts: readonly Alert[], nowMs: number, buckets = 24, bucketMs = 3_600_000): number[] {
  const counts = new Array<number>(buckets).fill(0);
  const start = nowMs - (buckets - 1) * bucketMs;
  for (const a of alerts) {
    const opened = ms(a.openedAt);
    const closed = a.resolvedAt ? ms(a.resolvedAt) : Number.POSITIVE_INFINITY;
    if (!Number.isFinite(opened)) continue;
    // Bucket i covers the instant start + i·bucketMs.
    const first = Math.max(0, Math.ceil((opened - start) / bucketMs));
    const last = Math.min(buckets - 1, Number.isFinite(closed) ? Math.ceil((closed - start) / bucketMs) - 1 : buckets - 1);
    for (let i = first; i <= last; i++) counts[i]!++;
  }
  return counts;
}

export function overview(config: ImosConfig, data: ConsoleData, nowMs: number): Overview {
  let critical = 0;
  let high = 0;
  let medium = 0;
  for (const a of data.core.alerts) {
    if (a.state === 'resolved') continue;
    if (a.severity === 'CRITICAL') critical++;
    else if (a.severity === 'HIGH') high++;
    else medium++;
  }
  let checksPassing = 0;
  for (const c of config.checks) if (data.results.checks[c.id]?.status === 'ok') checksPassing++;
  const snap = data.core.snapshots[data.core.snapshots.length - 1];
  const plan = data.plan && !data.plan.error ? data.plan : null;
  const tables = plan ? plan.tables : snap ? { done: snap.tablesDone, total: snap.tablesTotal } : null;
  const systems = plan ? plan.systems : snap ? { done: snap.systemsDone, total: snap.systemsTotal } : null;
  const today = dayIn(nowMs, config.timezone);
  return {
    completion: tables ? ratioLabel(tables.done, tables.total, 'tables') : data.plan?.error ? 'matrix unreadable' : 'no matrix yet',
    connections: systems ? ratioLabel(systems.done, systems.total, 'systems') : '–',
    critical,
    high,
    medium,
    highPriorityTasks: plan ? plan.highPriorityTasks : null,
    timeline: plan?.status ?? phaseOnlyStatus(config, nowMs),
    timelineReason: plan?.reason ?? null,
    forecast: plan?.forecast ?? null,
    checksPassing,
    checksTotal: config.checks.length,
    completionHistory: completionSeries(data.core.snapshots),
    alertHistory: openAlertSeries(data.core.alerts, nowMs),
    openBlockers: openBlockerCount(data.core.standups),
    standupsToday: new Set(data.core.standups.filter((s) => s.date === today).map((s) => s.system)).size,
  };
}

/** Blockers are carried from one standup to the next under the same id: count each once, as its latest copy says. */
function openBlockerCount(standups: readonly Standup[]): number {
  const open = new Map<string, boolean>();
  for (const s of [...standups].sort((a, b) => a.at.localeCompare(b.at))) for (const b of s.blockers) open.set(b.id, b.resolvedAt === null);
  let n = 0;
  for (const v of open.values()) if (v) n++;
  return n;
}

export interface StandupRow {
  system: string;
  author: string;
  done: string;
  next: string;
  blockers: number;
  at: string;
}

/** Today's standups, one per system (the latest), and the systems still without one. */
export function standupRows(config: ImosConfig, standups: readonly Standup[], nowMs: number): { rows: StandupRow[]; missing: string[] } {
  const today = dayIn(nowMs, config.timezone);
  const latest = new Map<string, Standup>();
  for (const s of standups) {
    if (s.date !== today) continue;
    const seen = latest.get(s.system);
    if (!seen || seen.at < s.at) latest.set(s.system, s);
  }
  const firstLine = (t: string) => sanitizeLine(t.split('\n')[0] ?? '', 80);
  const rows = [...latest.values()]
    .sort((a, b) => a.system.localeCompare(b.system))
    .map((s) => ({
      system: sanitizeLine(s.system, 40),
      author: sanitizeLine(s.author, 30),
      done: firstLine(s.done),
      next: firstLine(s.next),
      blockers: s.blockers.filter((b) => b.resolvedAt === null).length,
      at: s.at,
    }));
  const missing = Object.keys(config.systems).filter((id) => !latest.has(id));
  return { rows, missing };
}

/** Without matrix figures only the calendar is known: which phase we are in. */
function phaseOnlyStatus(config: ImosConfig, nowMs: number): string {
  if (config.phases.length === 0) return 'no phases';
  const current = timelineRows(config, null, nowMs).find((p) => p.state === 'current');
  return current ? `in ${current.name}` : nowMs < ms(config.phases[0]!.start) ? 'not started' : 'past last phase';
}
