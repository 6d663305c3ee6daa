// The systems grid's rows (one per system, worst first) and a system's checks with their detail.
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, CheckStatus, MetricValue, Severity } from '../../src/model.js';
import { statusRank, worstStatus } from '../../src/model.js';
import type { ResultsData } from '../../src/store/types.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { SEVERITY_ORDER } from './alerts.js';
import { displayValue } from './format.js';
import { belowThreshold, belowThresholdText } from '../../src/thresholds.js';

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
  /** Kind-specific detail as fields, lists and tables (missing tables, errors by file, …). */
  detail: DetailBlock[];
  /** "failing 1 of 2 before alerting (CRITICAL)" while short of its failure_threshold, else null. */
  threshold: { text: string; runStatus: CheckStatus } | null;
  /** What `/` matches in the system's check list (lower case). */
  search: string;
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
  /** Its checks that are not passing (worst first), with their last message. */
  failing: Array<{ id: string; name: string; status: CheckStatus; message: string }>;
  search: string;
}

/**
 * A check kind's detail, as blocks a view can draw: plain fields ("tsc: …"), lists of names
 * (pending migrations, missing tables) and small tables (errors per file, counts per table).
 * Everything is sanitised; empty lists and nulls are left out.
 */
export type DetailBlock =
  | { kind: 'fields'; rows: Array<[string, string]> }
  | { kind: 'list'; title: string; items: string[] }
  | { kind: 'table'; title: string; columns: string[]; rows: string[][] };

/** camelCase keys as words: byFile → "by file", missingColumns → "missing columns". */
function label(key: string): string {
  return sanitizeLine(key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase(), 40);
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';
const cell = (v: unknown) => (Array.isArray(v) ? v.map((x) => sanitizeLine(x, 80)).join(', ') : sanitizeLine(v ?? '', 160));

export function detailBlocks(detail: unknown, max = 200): DetailBlock[] {
  const blocks: DetailBlock[] = [];
  const fields: Array<[string, string]> = [];
  const walk = (value: unknown, title: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length === 0) return;
      if (value.every(isScalar)) {
        blocks.push({ kind: 'list', title, items: value.slice(0, max).map((v) => sanitizeLine(v, 160)) });
        return;
      }
      const objects = value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)).slice(0, max);
      const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
      blocks.push({ kind: 'table', title, columns: columns.map(label), rows: objects.map((o) => columns.map((c) => cell(o[c]))) });
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (title && entries.length > 0 && entries.every(([, v]) => isScalar(v))) {
        // A map of names to figures (errors per file, rows per table): a two-column table.
        blocks.push({ kind: 'table', title, columns: ['name', 'value'], rows: entries.slice(0, max).map(([k, v]) => [sanitizeLine(k, 80), cell(v)]) });
        return;
      }
      for (const [k, v] of entries) walk(v, title ? `${title} · ${label(k)}` : label(k));
      return;
    }
    fields.push([title || 'value', sanitizeLine(value, 300)]);
  };
  walk(detail, '');
  return fields.length > 0 ? [{ kind: 'fields', rows: fields }, ...blocks] : blocks;
}

const numeric = (v: MetricValue): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function checkRows(config: ImosConfig, results: ResultsData, systemId: string): CheckRow[] {
  return config.checks
    .filter((c) => c.system === systemId)
    .map((c) => {
      const state = results.checks[c.id];
      const last = state?.last ?? null;
      const history = state?.history ?? [];
      const below = belowThreshold(state, c);
      const name = sanitizeLine(c.name ?? c.id, 60);
      const status = state?.status ?? 'pending';
      const message = sanitizeLine(last?.message ?? (state ? '' : 'not run yet'), 2000);
      return {
        id: c.id,
        name,
        kind: c.kind,
        status,
        value: displayValue(last?.value),
        message,
        at: last?.at ?? null,
        durationMs: last?.durationMs ?? null,
        history: history.map((h) => numeric(h.value) ?? h.durationMs),
        historyStatuses: history.map((h) => h.status),
        detail: last?.detail !== undefined ? detailBlocks(last.detail) : [],
        threshold: below ? { text: `${belowThresholdText(below)} (${below.runStatus})`, runStatus: below.runStatus } : null,
        search: `${c.id} ${name} ${c.kind} ${status} ${message}`.toLowerCase(),
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

/** Each system's checks and their names as drawn, per configuration (it does not change while the console runs). */
const checksOfConfig = new WeakMap<ImosConfig, { bySystem: Map<string, string[]>; names: Map<string, string> }>();

function checksOf(config: ImosConfig): { bySystem: Map<string, string[]>; names: Map<string, string> } {
  const known = checksOfConfig.get(config);
  if (known) return known;
  const bySystem = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const c of config.checks) {
    names.set(c.id, sanitizeLine(c.name ?? c.id, 60));
    const list = bySystem.get(c.system) ?? [];
    list.push(c.id);
    bySystem.set(c.system, list);
  }
  const found = { bySystem, names };
  checksOfConfig.set(config, found);
  return found;
}

/**
 * A failing check's last message as drawn, kept per stored result (frozen: a new result is a new
 * object): a re-read of the results section after each round no longer sanitises the message of
 * every failing check again, only of those that ran.
 */
const lastMessages = new WeakMap<object, string>();

function lastMessageOf(last: { message?: string } | null | undefined): string {
  if (!last) return '';
  const known = lastMessages.get(last);
  if (known !== undefined) return known;
  const message = sanitizeLine(last.message ?? '', 160);
  if (Object.isFrozen(last)) lastMessages.set(last, message);
  return message;
}

export function systemRows(config: ImosConfig, results: ResultsData, alerts: readonly Alert[]): SystemRow[] {
  const { bySystem: checksBySystem, names } = checksOf(config);
  const worstAlerts = worstOpenAlertBySystem(alerts);
  return Object.values(config.systems).map((s) => {
    const ids = checksBySystem.get(s.id) ?? [];
    const statuses: CheckStatus[] = [];
    let passing = 0;
    let lastCheckAt: string | null = null;
    let latency: number[] = [];
    const failing: SystemRow['failing'] = [];
    for (const id of ids) {
      const state = results.checks[id];
      const status = state?.status ?? 'pending';
      statuses.push(status);
      if (status === 'ok') passing++;
      else if (status !== 'pending') failing.push({ id, name: names.get(id) ?? sanitizeLine(id, 60), status, message: lastMessageOf(state?.last) });
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
      failing: failing.sort((a, b) => statusRank(b.status) - statusRank(a.status)),
      search: `${s.id} ${name} ${leader}`.toLowerCase(),
    };
  }).sort((a, b) => statusRank(b.status) - statusRank(a.status) || a.id.localeCompare(b.id));
}

/** The columns the systems grid can be sorted by; the first (worst first) is the default. */
export const SYSTEM_SORTS = ['status', 'system', 'leader'] as const;

/** The systems in another order: worst status first (as systemRows gives them), by id, by leader; `reverse` turns it round. */
export function sortSystemRows(rows: readonly SystemRow[], by: string, reverse: boolean): readonly SystemRow[] {
  let sorted: SystemRow[];
  if (by === 'system') sorted = [...rows].sort((a, b) => a.id.localeCompare(b.id));
  else if (by === 'leader') sorted = [...rows].sort((a, b) => a.leader.localeCompare(b.leader) || a.id.localeCompare(b.id));
  else sorted = reverse ? [...rows] : (rows as SystemRow[]);
  return reverse ? sorted.reverse() : sorted;
}
