// What the console's panes show, derived from the config and the store as plain data. Pure
// functions (data + now → rows): the views only draw them, and the container memoises them on
// the identity of the store sections so that a key press never re-derives 10,000 alerts.
import type { ImosConfig } from '../config/types.js';
import type {
  Alert,
  AuditEntry,
  CheckStatus,
  CompletionSnapshot,
  LeaseHolder,
  MetricValue,
  Severity,
  Standup,
} from '../model.js';
import { statusRank, worstStatus } from '../model.js';
import type { CoreData, LeaseData, ResultsData } from '../store/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { formatValue } from '../text/values.js';

/** Figures from the integration matrix (src/plan), when a matrix is configured and readable. */
export interface PlanSummary {
  tables: { done: number; total: number };
  systems: { done: number; total: number };
  /** Ready tasks of priority CRITICAL or HIGH. */
  highPriorityTasks: number;
  /** On Track / At Risk / Delayed, with the reason ("62 % done at 80 % of the time"). */
  status: string | null;
  reason: string | null;
  /** Forecast finish date (YYYY-MM-DD) and what it rests on. */
  forecast: string | null;
  forecastBasis: string | null;
  /** Per phase name: percent complete and status. */
  phases: Record<string, { percent: number | null; status: string | null }>;
  /** The phases the plan used: the config's, else the matrix's phases table. */
  phaseList?: Array<{ name: string; start: string; end: string }>;
  /** Matrix problems to show instead of figures. */
  error?: string | null;
}

export interface ConsoleData {
  core: CoreData;
  results: ResultsData;
  lease: LeaseData;
  audit: AuditEntry[];
  plan: PlanSummary | null;
}

const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2 };

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NaN);

export function percent(done: number, total: number): number {
  return total > 0 ? Math.round((done / total) * 100) : 0;
}

/** "85% (11/13 tables)" */
export function ratioLabel(done: number, total: number, noun: string): string {
  return `${percent(done, total)}% (${done}/${total} ${noun})`;
}

/** "3m", "2h5m", "4d": a compact age or countdown (the shared duration formatter). */
export { formatDuration as compactDuration } from '../text/durations.js';

// Intl formatters are expensive to build (a fraction of a millisecond each): one per zone and shape.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string, options: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  const key = `${locale}|${timezone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone });
    } catch {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    }
    formatters.set(key, f);
  }
  return f;
}

const HM: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
const HMS: Intl.DateTimeFormatOptions = { ...HM, second: '2-digit' };

/** "14:05" in the given timezone (UTC for an unknown zone). */
export function clockTime(atMs: number, timezone: string, withSeconds = false): string {
  if (!Number.isFinite(atMs)) return '–';
  return formatter(timezone, withSeconds ? HMS : HM).format(atMs);
}

export const displayValue = (value: MetricValue | undefined): string => formatValue(value, { max: 40 });

// ───────────────────────────── alerts ─────────────────────────────

export interface AlertRow {
  id: string;
  severity: Severity;
  state: Alert['state'];
  system: string;
  type: string;
  message: string;
  ageMs: number;
  acknowledgedBy: string | null;
  /** Time to the next escalation (negative: overdue), null when none is due. */
  escalatesInMs: number | null;
  causedBy: string | null;
  snoozedUntil: string | null;
  /** Lower-cased text the filter matches against. */
  search: string;
}

/** A2 before A10: alerts opened in the same poll are listed in the order they were opened. */
const byIdNumeric = new Intl.Collator('en', { numeric: true }).compare;

/** Active (not resolved) alerts, sorted by severity, then oldest first. */
export function activeAlertRows(alerts: readonly Alert[], nowMs: number): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    const message = sanitizeLine(a.message, 160);
    const system = sanitizeLine(a.system, 40);
    const escalates =
      a.state === 'open' && a.nextEscalationAt ? ms(a.nextEscalationAt) - nowMs : null;
    rows.push({
      id: sanitizeLine(a.id, 12),
      severity: a.severity,
      state: a.state,
      system,
      type: sanitizeLine(a.type, 40),
      message,
      ageMs: nowMs - ms(a.openedAt),
      acknowledgedBy: a.acknowledgedBy ? sanitizeLine(a.acknowledgedBy, 40) : null,
      escalatesInMs: escalates !== null && Number.isFinite(escalates) ? escalates : null,
      causedBy: a.causedBy ? sanitizeLine(a.causedBy, 12) : null,
      snoozedUntil: a.snoozedUntil,
      search: `${a.id} ${a.severity} ${system} ${a.type} ${message} ${a.state}`.toLowerCase(),
    });
  }
  rows.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.ageMs - x.ageMs || byIdNumeric(x.id, y.id));
  return rows;
}

export interface EscalationItem {
  id: string;
  severity: Severity;
  system: string;
  level: number;
  /** Countdown to the next escalation; negative when overdue. */
  inMs: number;
}

/** Unacknowledged alerts waiting to escalate, soonest first. */
export function escalationQueue(alerts: readonly Alert[], nowMs: number): EscalationItem[] {
  const out: EscalationItem[] = [];
  for (const a of alerts) {
    if (a.state !== 'open' || !a.nextEscalationAt) continue;
    const at = ms(a.nextEscalationAt);
    if (!Number.isFinite(at)) continue;
    out.push({ id: sanitizeLine(a.id, 12), severity: a.severity, system: sanitizeLine(a.system, 40), level: a.escalationLevel, inMs: at - nowMs });
  }
  return out.sort((x, y) => x.inMs - y.inMs);
}

export interface ActionRow {
  at: string;
  actor: string;
  action: string;
  target: string;
  note: string;
}

/** The audit log, newest first, sanitised. */
export function recentActions(audit: readonly AuditEntry[], limit = 50): ActionRow[] {
  const out: ActionRow[] = [];
  for (let i = audit.length - 1; i >= 0 && out.length < limit; i--) {
    const e = audit[i]!;
    if (e.action === 'archive') continue; // housekeeping, not something a person did
    out.push({
      at: e.at,
      actor: sanitizeLine(e.actor, 30),
      action: sanitizeLine(e.action, 20),
      target: sanitizeLine(e.target, 40),
      note: e.note ? sanitizeLine(e.note, 80) : '',
    });
  }
  return out;
}

export function findAlert(alerts: readonly Alert[], id: string): Alert | undefined {
  const wanted = id.trim().toUpperCase();
  return alerts.find((a) => a.id.toUpperCase() === wanted);
}

// ───────────────────────────── systems ─────────────────────────────

export interface CheckRow {
  id: string;
  name: string;
  kind: string;
  status: CheckStatus;
  value: string;
  message: string;
  at: string | null;
  durationMs: number | null;
  history: number[];
  historyStatuses: CheckStatus[];
  /** Kind-specific detail as display lines (missing tables, errors by file, …). */
  detail: string[];
}

export interface SystemRow {
  id: string;
  name: string;
  leader: string;
  status: CheckStatus;
  passing: number;
  total: number;
  worstAlert: { id: string; severity: Severity } | null;
  lastCheckAt: string | null;
  latency: number[];
  search: string;
}

/** Detail from a check kind as lines to draw: arrays become items, objects "key: value". */
export function detailLines(detail: unknown, max = 200): string[] {
  const out: string[] = [];
  const walk = (value: unknown, indent: string, label: string | null): void => {
    if (out.length >= max) return;
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (label !== null) out.push(`${indent}${label}:`);
      for (const item of value) {
        if (out.length >= max) return;
        if (item !== null && typeof item === 'object') walk(item, indent + '  ', null);
        else out.push(`${indent}  • ${sanitizeLine(item, 160)}`);
      }
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      const scalar = entries.every(([, v]) => v === null || typeof v !== 'object');
      if (scalar && label === null && entries.length <= 4) {
        out.push(`${indent}• ${entries.map(([k, v]) => `${sanitizeLine(k, 30)}: ${sanitizeLine(v, 60)}`).join(', ')}`);
        return;
      }
      if (label !== null) out.push(`${indent}${label}:`);
      for (const [k, v] of entries) {
        if (v !== null && typeof v === 'object') walk(v, label !== null ? indent + '  ' : indent, sanitizeLine(k, 40));
        else out.push(`${label !== null ? indent + '  ' : indent}${sanitizeLine(k, 40)}: ${sanitizeLine(v, 160)}`);
      }
      return;
    }
    out.push(`${indent}${label !== null ? `${label}: ` : ''}${sanitizeLine(value, 160)}`);
  };
  walk(detail, '', null);
  return out;
}

const numeric = (v: MetricValue): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function checkRows(config: ImosConfig, results: ResultsData, systemId: string): CheckRow[] {
  return config.checks
    .filter((c) => c.system === systemId)
    .map((c) => {
      const state = results.checks[c.id];
      const last = state?.last ?? null;
      const history = state?.history ?? [];
      return {
        id: c.id,
        name: sanitizeLine(c.name ?? c.id, 60),
        kind: c.kind,
        status: state?.status ?? 'pending',
        value: displayValue(last?.value),
        message: sanitizeLine(last?.message ?? (state ? '' : 'not run yet'), 200),
        at: last?.at ?? null,
        durationMs: last?.durationMs ?? null,
        history: history.map((h) => numeric(h.value) ?? h.durationMs),
        historyStatuses: history.map((h) => h.status),
        detail: last?.detail !== undefined ? detailLines(last.detail) : [],
      };
    });
}

/** Index open alerts by system once (10,000 alerts: one pass, not one per system). */
function worstOpenAlertBySystem(alerts: readonly Alert[]): Map<string, Alert> {
  const worst = new Map<string, Alert>();
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    const seen = worst.get(a.system);
    if (!seen || SEVERITY_ORDER[a.severity] < SEVERITY_ORDER[seen.severity]) worst.set(a.system, a);
  }
  return worst;
}

export function systemRows(config: ImosConfig, results: ResultsData, alerts: readonly Alert[]): SystemRow[] {
  const checksBySystem = new Map<string, string[]>();
  for (const c of config.checks) {
    const list = checksBySystem.get(c.system) ?? [];
    list.push(c.id);
    checksBySystem.set(c.system, list);
  }
  const worstAlerts = worstOpenAlertBySystem(alerts);
  return Object.values(config.systems).map((s) => {
    const ids = checksBySystem.get(s.id) ?? [];
    const statuses: CheckStatus[] = [];
    let passing = 0;
    let lastCheckAt: string | null = null;
    let latency: number[] = [];
    for (const id of ids) {
      const state = results.checks[id];
      const status = state?.status ?? 'pending';
      statuses.push(status);
      if (status === 'ok') passing++;
      const at = state?.last?.at ?? null;
      if (at && (!lastCheckAt || at > lastCheckAt)) lastCheckAt = at;
      const hist = state?.history ?? [];
      if (hist.length > latency.length) latency = hist.map((h) => h.durationMs);
    }
    const alert = worstAlerts.get(s.id);
    const leaderPerson = s.leader ? config.people[s.leader] : undefined;
    const leader = sanitizeLine(leaderPerson?.name ?? s.leader ?? '–', 30);
    const name = sanitizeLine(s.name, 60);
    return {
      id: s.id,
      name,
      leader,
      status: ids.length ? worstStatus(statuses) : 'pending',
      passing,
      total: ids.length,
      worstAlert: alert ? { id: alert.id, severity: alert.severity } : null,
      lastCheckAt,
      latency,
      search: `${s.id} ${name} ${leader}`.toLowerCase(),
    };
  }).sort((a, b) => statusRank(b.status) - statusRank(a.status) || a.id.localeCompare(b.id));
}

// ───────────────────────────── overview ─────────────────────────────

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

const YMD: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/** YYYY-MM-DD of an instant in the project's timezone. */
export function dayIn(atMs: number, timezone: string): string {
  return formatter(timezone, YMD, 'en-CA').format(atMs);
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

// ───────────────────────────── timeline ─────────────────────────────

export interface PhaseRow {
  name: string;
  start: string;
  end: string;
  /** 0…1 of the phase's calendar time gone by. */
  elapsed: number;
  state: 'upcoming' | 'current' | 'finished';
  percent: number | null;
  status: string | null;
  /** Where the phase sits on the whole project's span, 0…1. */
  from: number;
  to: number;
  today: number;
}

const DAY = 86_400_000;

export function timelineRows(config: ImosConfig, plan: PlanSummary | null, nowMs: number): PhaseRow[] {
  // Phases may come from the matrix's phases table when the config has none (as `imos matrix` reads them).
  const phases = config.phases.length > 0 ? config.phases : (plan?.phaseList ?? []);
  if (phases.length === 0) return [];
  const starts = phases.map((p) => ms(p.start));
  // A phase ends at the end of its last day.
  const ends = phases.map((p) => ms(p.end) + DAY);
  const spanStart = Math.min(...starts);
  const spanEnd = Math.max(...ends);
  const span = Math.max(1, spanEnd - spanStart);
  return phases.map((p, i) => {
    const start = starts[i]!;
    const end = ends[i]!;
    const elapsed = Math.min(1, Math.max(0, (nowMs - start) / Math.max(1, end - start)));
    const fig = plan?.phases[p.name];
    return {
      name: sanitizeLine(p.name, 60),
      start: p.start,
      end: p.end,
      elapsed,
      state: nowMs < start ? 'upcoming' : nowMs >= end ? 'finished' : 'current',
      percent: fig?.percent ?? null,
      status: fig?.status ?? null,
      from: (start - spanStart) / span,
      to: (end - spanStart) / span,
      today: Math.min(1, Math.max(0, (nowMs - spanStart) / span)),
    };
  });
}

// ───────────────────────────── header ─────────────────────────────

export function holderLabel(holder: LeaseHolder | null, nowMs: number, ttlMs = 10_000): string {
  if (!holder) return 'no poller';
  const stale = nowMs - ms(holder.renewedAt) > ttlMs;
  return `${sanitizeLine(holder.role, 12)} ${sanitizeLine(holder.user, 20)}@${sanitizeLine(holder.host, 24)} pid ${holder.pid}${stale ? ' (stale)' : ''}`;
}

/** Filter rows by a case-insensitive substring of their search text. */
export function filterRows<T extends { search: string }>(rows: readonly T[], filter: string): readonly T[] {
  const f = filter.trim().toLowerCase();
  if (!f) return rows;
  return rows.filter((r) => r.search.includes(f));
}
