// The systems grid's rows (one per system, worst first) and a system's checks with their detail.
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, CheckStatus, MetricValue, Severity } from '../../src/model.js';
import { statusRank, worstStatus } from '../../src/model.js';
import type { ResultsData } from '../../src/store/types.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { SEVERITY_ORDER } from './alerts.js';
import { displayValue } from './format.js';

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
  /** Its checks that are not passing (worst first), with their last message. */
  failing: Array<{ id: string; name: string; status: CheckStatus; message: string }>;
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
  const names = new Map<string, string>();
  for (const c of config.checks) {
    names.set(c.id, c.name ?? c.id);
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
    const failing: SystemRow['failing'] = [];
    for (const id of ids) {
      const state = results.checks[id];
      const status = state?.status ?? 'pending';
      statuses.push(status);
      if (status === 'ok') passing++;
      else if (status !== 'pending') failing.push({ id, name: sanitizeLine(names.get(id) ?? id, 60), status, message: sanitizeLine(state?.last?.message ?? '', 160) });
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
