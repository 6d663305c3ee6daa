// Read-only views of a section, built from its records when asked and kept until the next change:
// a console that re-reads after every change pays for one array per collection, not a parse.
import type { Alert, CheckState, CompletionSnapshot, HistoryPoint, OutboxMessage, Standup } from '../model.js';
import type { KvRecord, UptimeRecord } from './records.js';
import type { SectionState } from './state.js';
import { CONTROL_KEY, DEFAULT_CONTROL, type Control, type CoreView, type HistoryView, type ResultsData, type ResultsView } from './types.js';

const cache = new WeakMap<SectionState, { version: number; view: unknown }>();

function cached<T>(state: SectionState, build: () => T): T {
  const hit = cache.get(state);
  if (hit && hit.version === state.version) return hit.view as T;
  const view = build();
  cache.set(state, { version: state.version, view });
  return view;
}

export function coreView(state: SectionState): CoreView {
  return cached(state, () => {
    const kv = new Map<string, unknown>();
    for (const record of state.values('kv') as Iterable<KvRecord>) kv.set(record.key, record.value);
    const control = (kv.get(CONTROL_KEY) as Control | undefined) ?? DEFAULT_CONTROL;
    return Object.freeze({
      seq: state.seq,
      alerts: Object.freeze([...state.values('alerts')] as Alert[]),
      outbox: Object.freeze([...state.values('outbox')] as OutboxMessage[]),
      standups: Object.freeze([...state.values('standups')] as Standup[]),
      snapshots: Object.freeze([...state.values('snapshots')] as CompletionSnapshot[]),
      control: { ...DEFAULT_CONTROL, ...control },
      kv,
    });
  });
}

export function resultsView(state: SectionState): ResultsView {
  return cached(state, () => {
    const checks: ResultsView['checks'] = {};
    let lastPollAt: string | null = null;
    for (const record of state.values('checks')) {
      (checks as Record<string, unknown>)[record.id] = record;
      const at = record.last?.at ?? null;
      if (at !== null && (lastPollAt === null || at > lastPollAt)) lastPollAt = at;
    }
    // The hourly counts (one record per check and hour) are listed when first read: imos status
    // and imos check never read them, and their records are then never frozen (state.ts).
    let uptime: readonly UptimeRecord[] | undefined;
    return Object.freeze({
      seq: state.seq,
      checks: Object.freeze(checks),
      lastPollAt,
      get uptime() {
        return (uptime ??= Object.freeze([...state.values('uptime')]));
      },
    });
  });
}

export function historyView(state: SectionState): HistoryView {
  return cached(state, () => {
    const history: Record<string, readonly HistoryPoint[]> = {};
    for (const record of state.values('history')) history[record.id] = record.points;
    return Object.freeze({ seq: state.seq, history: Object.freeze(history) });
  });
}

/**
 * A check's state with its history, kept per stored record and history (both frozen: a change is a
 * new object): a console re-reading the results after every batch builds the states of the checks
 * that ran, not of all 2,000, and the others keep their identity.
 */
const statesByRecord = new WeakMap<object, { history: readonly unknown[]; state: CheckState }>();
const NO_HISTORY: CheckState['history'] = Object.freeze([]) as unknown as CheckState['history'];

/** Each check's state with its history (empty when `history` was not read). */
export function withHistory(results: ResultsView, history?: HistoryView): ResultsData {
  const checks: Record<string, CheckState> = {};
  for (const [id, record] of Object.entries(results.checks)) {
    const points = (history?.history[id] ?? NO_HISTORY) as CheckState['history'];
    const known = statesByRecord.get(record);
    if (known && known.history === points) {
      checks[id] = known.state;
      continue;
    }
    const { id: _id, ...state } = record;
    const built = Object.freeze({ ...state, history: points }) as CheckState;
    if (Object.isFrozen(record)) statesByRecord.set(record, { history: points, state: built });
    checks[id] = built;
  }
  return {
    checks,
    lastPollAt: results.lastPollAt,
    get uptime() {
      return results.uptime;
    },
  };
}

/** An empty core section as read (before anything was stored). */
export function emptyCoreView(): CoreView {
  return { seq: 0, alerts: [], outbox: [], standups: [], snapshots: [], control: { ...DEFAULT_CONTROL }, kv: new Map() };
}
