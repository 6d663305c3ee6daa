// From the validated file to the ImosConfig the rest of imos reads: durations in ms, absolute
// paths, parsed conditions, references between people / systems / checks resolved.
import path from 'node:path';
import { checkKindNames, getCheckKind } from '../../checks/registry.js';
import type { CheckKind } from '../../checks/types.js';
import { ConditionError, parseCondition, type Condition } from '../conditions/index.js';
import { SEVERITIES, type Severity } from '../model.js';
import { parseDuration } from '../text/durations.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import type { FieldPath, SourceMap } from './load.js';
import { normalizeGates } from './gates.js';
import { parsePlanSettings } from './plan-settings.js';
import { unknownKeyMessage } from './hints.js';
import { parseIsoInZone } from '../time/zoned.js';
import { type RawCheck, type RawConfig } from './schema.js';
import { DEFAULT_POLICIES } from './severity-defaults.js';
import { COMMON_CHECK_KEYS, type ValidatedCheck } from './checks.js';
import type { CheckConfig, ImosConfig, SeverityPolicy } from './types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { normalizePlaybooks } from './playbooks.js';

const durations = new Map<string, number>();
/** Milliseconds of a validated duration; a large configuration repeats a few texts (`10m`) thousands of times. */
const ms = (text: string): number => {
  let value = durations.get(text);
  if (value === undefined) durations.set(text, (value = parseDuration(text) ?? 0));
  return value;
};
/** Shared by every check without conditions there (read-only, as parsed conditions are). */
const NO_CONDITIONS = Object.freeze([]) as unknown as Condition[];
const NO_THRESHOLDS = Object.freeze([]) as unknown as CheckConfig['thresholds'];

export function normalizeConfig(
  raw: RawConfig,
  /** `checks:`, each validated (checks.ts). */
  validatedChecks: ValidatedCheck[],
  file: string,
  source: SourceMap,
  issues: ConfigIssue[],
  /** Checks to validate in full; the others only as far as `imos check --only` needs them (load.ts). */
  validated?: ReadonlySet<string>,
): ImosConfig {
  const baseDir = path.dirname(file);
  // Names are printed everywhere (headers, tables, reports): no terminal controls in them.
  const people = Object.fromEntries(Object.entries(raw.people).map(([id, p]) => [id, { id, ...p, name: sanitizeLine(p.name) }]));
  const systems = Object.fromEntries(
    Object.entries(raw.systems).map(([id, s]) => [id, { id, name: sanitizeLine(s.name), leader: s.leader, depends_on: s.depends_on }]),
  );

  for (const [id, system] of Object.entries(systems)) {
    if (system.leader && !people[system.leader]) {
      issues.push(source.issue(['systems', id, 'leader'], `unknown person "${system.leader}" (people: ${known(people)})`));
    }
    system.depends_on.forEach((dep, i) => {
      if (!systems[dep]) issues.push(source.issue(['systems', id, 'depends_on', i], `unknown system "${dep}" (systems: ${known(systems)})`));
    });
  }
  // A system cannot wait on itself, directly or round a loop: root causes would point in circles.
  const reported = new Set<string>();
  for (const id of Object.keys(systems)) {
    const cycle = dependencyCycle(id, (s) => systems[s]?.depends_on ?? []);
    if (!cycle || cycle.some((s) => reported.has(s))) continue;
    cycle.forEach((s) => reported.add(s));
    const i = systems[id]!.depends_on.indexOf(cycle[1]!);
    issues.push(source.issue(['systems', id, 'depends_on', i], `dependency cycle: ${cycle.join(' → ')}`));
  }

  const seen = new Set<string>();
  const checks: CheckConfig[] = [];
  const disabled: string[] = [];
  // One pass over what may be 10,000 checks: field paths are built only for a problem to report,
  // conditions and durations are parsed once per text, and what a kind needs is looked up once
  // per run of checks of that kind.
  let lastKind: CheckKind<unknown> | undefined;
  let facts: KindFacts | undefined;
  const where = { index: 0, source, issues, lastExpect: new Map<CheckKind<unknown>, LastExpect>() } as ConditionsAt;
  for (let index = 0; index < validatedChecks.length; index++) {
    const { input, check, options, kindIssues, schema } = validatedChecks[index]!;
    if (seen.has(check.id)) issues.push(source.issue(['checks', index, 'id'], `duplicate check id "${check.id}"`));
    seen.add(check.id);
    if (!systems[check.system]) {
      issues.push(source.issue(['checks', index, 'system'], `unknown system "${check.system}" (systems: ${known(systems)})`));
    }
    const kind = getCheckKind(check.kind);
    if (!kind) {
      issues.push(source.issue(['checks', index, 'kind'], `unknown check kind "${check.kind}" (known kinds: ${checkKindNames().join(', ') || 'none'})`));
      continue;
    }
    if (validated && !validated.has(check.id)) {
      // Not to be run: neither its kind's options nor its conditions are read.
      if (check.enabled === false) disabled.push(check.id);
      else checks.push(unvalidatedCheck(check, raw.defaults));
      continue;
    }
    if (kindIssues.length > 0 || !options) {
      issues.push(...source.zodIssues({ issues: kindIssues }, ['checks', index], schema));
      continue;
    }
    if (kind !== lastKind) {
      lastKind = kind;
      facts = kindFacts(kind);
    }
    const { allowedKeys } = facts!;
    // A misspelt key (headrs:, captur:) would be ignored without a word: name it.
    if (allowedKeys) {
      for (const key in input) {
        if (!allowedKeys.has(key)) {
          issues.push(source.issue(['checks', index, key], unknownKeyMessage([key], [...allowedKeys], `for a ${check.kind} check`)));
        }
      }
    }
    where.kind = kind;
    where.facts = facts!;
    where.index = index;
    let thresholds = NO_THRESHOLDS;
    if (check.thresholds) {
      for (const severity of SEVERITIES) {
        const conditions = conditionsAt(where, check.thresholds[severity], 'thresholds', severity);
        if (conditions.length > 0) (thresholds === NO_THRESHOLDS ? (thresholds = []) : thresholds).push({ severity, conditions });
      }
    }
    const expectWritten = check.expect !== undefined && check.expect.length > 0;
    let expect = conditionsAt(where, check.expect, 'expect');
    if (!expectWritten && kind.defaultExpect) {
      // Thresholds grade the metrics they name; the kind's own expectations about the others
      // still hold (a `value > 90` threshold does not make a failed program or an unreachable
      // endpoint — exit 1, status 0, nothing measured — pass).
      expect = thresholds.length === 0 ? defaultExpectations(kind) : withoutGraded(defaultExpectations(kind), thresholds);
    }
    // A disabled check is still validated (so it can be turned back on), but never runs.
    if (check.enabled === false) {
      disabled.push(check.id);
      continue;
    }
    checks.push({
      id: check.id,
      system: check.system,
      kind: check.kind,
      name: check.name === undefined ? undefined : sanitizeLine(check.name),
      everyMs: ms(check.every ?? raw.defaults.every),
      timeoutMs: ms(check.timeout ?? raw.defaults.timeout),
      failureThreshold: check.failure_threshold ?? raw.defaults.failure_threshold,
      successThreshold: check.success_threshold ?? raw.defaults.success_threshold,
      thresholds,
      expect,
      // The kind's expectations kept beside thresholds fail as seriously as the worst threshold
      // (a disk check graded HIGH whose df fails is HIGH), unless `severity` says otherwise.
      severity: check.severity ?? (!expectWritten && thresholds.length > 0 ? thresholds[0]!.severity : 'CRITICAL'),
      options,
    });
  }

  const severities = {} as Record<Severity, SeverityPolicy>;
  for (const severity of SEVERITIES) {
    const policy = raw.severities[severity];
    if (!policy) {
      // The default policy (severity-defaults.ts, docs/CONTRACT.md) names the manager and the owner:
      // keep the levels whose people exist.
      const defaults = structuredClone(DEFAULT_POLICIES[severity]);
      defaults.escalate = defaults.escalate
        .map((level) => ({ ...level, to: level.to.filter((who) => who === 'leader' || people[who]) }))
        .filter((level) => level.to.length > 0);
      severities[severity] = defaults;
      continue;
    }
    policy.escalate.forEach((level, i) => {
      level.to.forEach((who, j) => {
        if (who !== 'leader' && !people[who]) {
          issues.push(
            source.issue(['severities', severity, 'escalate', i, 'to', j], `unknown person "${who}" (people: ${known(people)}, or "leader")`),
          );
        }
      });
    });
    severities[severity] = {
      respondWithinMs: ms(policy.respond_within),
      notify: policy.notify,
      escalate: policy.escalate.map((l) => ({ afterMs: ms(l.after), to: l.to, channels: l.channels })),
      ackTimeoutMs: policy.ack_timeout ? ms(policy.ack_timeout) : undefined,
      digest: policy.digest,
    };
  }

  raw.maintenance.forEach((window, i) => {
    window.systems.forEach((s, j) => {
      if (!systems[s]) issues.push(source.issue(['maintenance', i, 'systems', j], `unknown system "${s}"`));
    });
    if (!window.weekly && !(window.start && window.end)) {
      issues.push(source.issue(['maintenance', i], 'a maintenance window needs start and end, or weekly'));
    }
    // A time that cannot be read would leave the window silently never active.
    const at = (key: 'start' | 'end'): number => {
      const text = window[key];
      if (!text) return Number.NaN;
      const when = validDateTime(text);
      if (Number.isNaN(when)) issues.push(source.issue(['maintenance', i, key], `"${text}" is not a date and time such as 2025-02-01T22:00 (or with an offset, +09:00)`));
      return when;
    };
    const start = at('start');
    const end = at('end');
    if (end <= start) issues.push(source.issue(['maintenance', i, 'end'], `ends (${window.end}) before or when it starts (${window.start})`));
  });

  raw.phases.forEach((phase, i) => {
    if (phase.end < phase.start) issues.push(source.issue(['phases', i, 'end'], `ends (${phase.end}) before it starts (${phase.start})`));
  });

  try {
    parsePlanSettings(raw.plan, file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) issues.push(source.issue(issue.field.split('.'), issue.message));
  }

  if (!isValidTimezone(raw.timezone)) issues.push(source.issue(['timezone'], `unknown time zone "${raw.timezone}" (e.g. Asia/Tokyo, UTC)`));

  // Every check's id, as written (`seen` holds them all).
  const playbooks = normalizePlaybooks(raw.playbooks, { people, systems, checkIds: seen, baseDir }, source, issues);

  const gates = normalizeGates(raw.gates, checks, disabled, raw.phases, source, issues);

  const storeText = raw.store ?? './data/imos.json';
  return {
    file,
    baseDir,
    project: sanitizeLine(raw.project),
    timezone: raw.timezone,
    people,
    systems,
    checks,
    severities,
    channels: raw.channels as ImosConfig['channels'],
    maintenance: raw.maintenance.map((w) => (w.name === undefined ? w : { ...w, name: sanitizeLine(w.name) })),
    matrix: raw.matrix ? path.resolve(baseDir, raw.matrix) : undefined,
    phases: raw.phases.map((p) => ({ ...p, name: sanitizeLine(p.name) })),
    gates,
    store: /^postgres(ql)?:\/\//.test(storeText) ? storeText : path.resolve(baseDir, storeText),
    concurrency: raw.defaults.concurrency,
    historySize: raw.defaults.history,
    server: raw.server,
    plan: raw.plan,
    blockers: raw.blockers,
    identity: { unknownActors: raw.identity.unknown_actors },
    disabledChecks: disabled,
    retention: { resolvedAlertsMs: ms(raw.retention.resolved_alerts) },
    poller: { graceMs: ms(raw.poller.grace) },
    ...(raw.heartbeat ? { heartbeat: raw.heartbeat } : {}),
    playbooks,
  };
}

/** A check read for its identity and timing only: no conditions (it is not run), options as written. */
function unvalidatedCheck(check: RawCheck, defaults: RawConfig['defaults']): CheckConfig {
  return {
    id: check.id,
    system: check.system,
    kind: check.kind,
    name: check.name === undefined ? undefined : sanitizeLine(check.name),
    everyMs: ms(check.every ?? defaults.every),
    timeoutMs: ms(check.timeout ?? defaults.timeout),
    failureThreshold: check.failure_threshold ?? defaults.failure_threshold,
    successThreshold: check.success_threshold ?? defaults.success_threshold,
    thresholds: [],
    expect: [],
    severity: check.severity ?? 'CRITICAL',
    options: check as Record<string, unknown>,
  };
}

/** The loop of dependencies from `start` back to itself (`a → b → a`), or null. Bounded by the systems. */
function dependencyCycle(start: string, next: (id: string) => string[]): string[] | null {
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | null => {
    for (const dep of next(id)) {
      if (dep === start) return [...path, dep];
      if (seen.has(dep)) continue;
      seen.add(dep);
      const found = walk(dep, [...path, dep]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

/** A date-time as maintenance windows take it (zone-free check: the fields must exist), else NaN. */
function validDateTime(text: string): number {
  const t = text.trim();
  const utc = parseIsoInZone(t, 'UTC');
  if (Number.isNaN(utc) || /[zZ]|[+-]\d{2}:?\d{2}$/.test(t.slice(10))) return utc;
  return new Date(utc).toISOString().startsWith(t.replace(' ', 'T')) ? utc : Number.NaN;
}

/** What normalising a check needs of its kind, worked out once per kind (it depends on the kind alone). */
interface KindFacts {
  /** The keys a check of this kind may have (common and the kind's); null when the kind's schema is not an object. */
  allowedKeys: ReadonlySet<string> | null;
  /** Its conditions parsed so far, by text (a condition depends on its text and the kind's metrics only). */
  conditions: Map<string, Condition>;
}

/** The last list of expectations read for a kind in this load (checks of a kind often repeat theirs), and its conditions. */
interface LastExpect {
  texts: string | readonly string[];
  conditions: Condition[];
}

const kindFactsCache = new WeakMap<CheckKind<unknown>, KindFacts>();

function kindFacts(kind: CheckKind<unknown>): KindFacts {
  let facts = kindFactsCache.get(kind);
  if (!facts) {
    const shape = (kind.schema as { shape?: unknown }).shape;
    const allowedKeys = shape && typeof shape === 'object' ? new Set([...COMMON_CHECK_KEYS, ...Object.keys(shape)]) : null;
    kindFactsCache.set(kind, (facts = { allowedKeys, conditions: new Map() }));
  }
  return facts;
}

/** Where a check's conditions are read: its kind, its place, and where its mistakes go. */
interface ConditionsAt {
  kind: CheckKind<unknown>;
  facts: KindFacts;
  index: number;
  source: SourceMap;
  issues: ConfigIssue[];
  /** Per kind, the last expectations read in this load: nothing of one load is handed to the next. */
  lastExpect: Map<CheckKind<unknown>, LastExpect>;
}

/** Whether two written condition lists (one text, or a list) are the same texts. */
function sameTexts(a: string | readonly string[], b: string | readonly string[]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The conditions at `checks[index].<key>[.<severity>]` (one text, or a list), each parsed once per
 * kind and text: a large configuration repeats a few texts (`status == 200`) thousands of times.
 * Conditions are plain data, shared read-only; so is the list of a check's expectations that are
 * the same texts as the previous check's of its kind (10,000 checks do not hold 10,000 copies).
 */
function conditionsAt(at: ConditionsAt, written: string | string[] | undefined, key: 'expect' | 'thresholds', severity?: Severity): Condition[] {
  if (written === undefined) return NO_CONDITIONS;
  const last = key === 'expect' ? at.lastExpect.get(at.kind) : undefined;
  if (last && sameTexts(last.texts, written)) return last.conditions;
  const texts = typeof written === 'string' ? [written] : written;
  const out: Condition[] = new Array(texts.length);
  let found = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    let condition = at.facts.conditions.get(text);
    if (condition === undefined) {
      try {
        at.facts.conditions.set(text, (condition = parseCondition(text, at.kind.metrics)));
      } catch (error) {
        if (!(error instanceof ConditionError)) throw error;
        const fieldPath: FieldPath = ['checks', at.index, key];
        if (severity) fieldPath.push(severity);
        if (typeof written !== 'string') fieldPath.push(i);
        // The column is inside the condition text; +1 for an opening quote is close enough.
        at.issues.push(at.source.issue(fieldPath, `${error.reason} in "${text}"`, error.column));
        continue;
      }
    }
    out[found++] = condition;
  }
  if (found < out.length) {
    out.length = found;
    return out;
  }
  if (key === 'expect') at.lastExpect.set(at.kind, { texts: written, conditions: Object.freeze(out) as Condition[] });
  return out;
}

/** A kind's expectations, without those on a metric a threshold grades (`value > 90` grades value). */
function withoutGraded(expectations: Condition[], thresholds: CheckConfig['thresholds']): Condition[] {
  const root = (c: Condition) => c.metric.split('.')[0];
  const graded = new Set(thresholds.flatMap((t) => t.conditions.map(root)));
  return expectations.filter((c) => !graded.has(root(c)));
}

const defaultExpectCache = new WeakMap<CheckKind<unknown>, Condition[]>();

/** A kind's own expectations, parsed once (conditions are plain data, shared read-only). */
function defaultExpectations(kind: CheckKind<unknown>): Condition[] {
  let parsed = defaultExpectCache.get(kind);
  if (!parsed) defaultExpectCache.set(kind, (parsed = Object.freeze((kind.defaultExpect ?? []).map((t) => parseCondition(t, kind.metrics))) as Condition[]));
  return parsed;
}

function known(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  return keys.length > 0 ? keys.join(', ') : 'none defined';
}

const timezones = new Map<string, boolean>([['UTC', true]]);

/**
 * Asked of ICU once per zone, and never for UTC (the default): the first formatter with a zone
 * loads ICU's zone data, tens of milliseconds of every command's start.
 */
function isValidTimezone(tz: string): boolean {
  let valid = timezones.get(tz);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
    timezones.set(tz, valid);
  }
  return valid;
}
