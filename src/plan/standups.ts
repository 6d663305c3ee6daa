// Standups: one entry per system per day (done, next, blockers; author; time), kept in the store's
// core section. Shared by `imos standup` and the console's form: validate a draft, save it
// (today's entry is replaced, the earlier version kept in its history), list by date.
// A system's latest standup states its current blockers: one not repeated is resolved, one
// repeated keeps its id and age.
import type { AuditEntry, Blocker, Standup } from '../model.js';
import { CoreDraft } from '../store/core-draft.js';
import type { CoreData, Store } from '../store/types.js';
import type { ImosConfig } from '../config/types.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { isDate, localDate } from '../time/dates.js';
import { planSettings } from '../config/plan-settings.js';
import type { Matrix } from './types.js';
import { findEntity } from './types.js';

export type WaitsOn = NonNullable<Blocker['waitsOn']>;
export const WAITS_ON_KINDS = ['system', 'task', 'person'] as const;

export interface BlockerDraft {
  text: string;
  /** What it waits on: { kind, id } or "system:hotel-common" / "task:T3" / "person:luna". */
  waitsOn?: WaitsOn | string | null;
}

export interface StandupDraft {
  system: string;
  done: string;
  next: string;
  blockers?: BlockerDraft[];
}

export interface FieldError {
  /** `system`, `done`, `next`, `blockers[1].text`, `blockers[1].waitsOn` */
  field: string;
  message: string;
}

export class StandupValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'StandupValidationError';
  }
}

export const BLOCKER_MAX_LENGTH = 500;

/** "system:hotel-common" → { kind: 'system', id: 'hotel-common' }; a FieldError message otherwise. */
export function parseWaitsOn(value: WaitsOn | string | null | undefined): WaitsOn | null | string {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') return value;
  const m = /^\s*(system|task|person)\s*:\s*(\S+)\s*$/.exec(value);
  if (!m) return `"${sanitizeLine(value, 60)}" is not KIND:ID (KIND is system, task or person), e.g. system:hotel-common`;
  return { kind: m[1] as WaitsOn['kind'], id: m[2]! };
}

/**
 * Field errors of a draft (empty when it can be saved): required fields, length limits, a known
 * system, and what blockers wait on exists (systems and people in the config, tasks in the matrix
 * when one is given).
 */
export function validateStandupDraft(
  draft: StandupDraft,
  config: Pick<ImosConfig, 'systems' | 'people' | 'plan' | 'file'>,
  matrix?: Matrix | null,
): FieldError[] {
  const settings = planSettings(config);
  const errors: FieldError[] = [];
  const system = (draft.system ?? '').trim();
  if (!system) errors.push({ field: 'system', message: 'required' });
  else if (!config.systems[system])
    errors.push({ field: 'system', message: `unknown system "${sanitizeLine(system, 60)}": expected one of ${Object.keys(config.systems).join(', ')}` });
  for (const field of ['done', 'next'] as const) {
    const text = sanitizeText(draft[field] ?? '').trim();
    if (!text) errors.push({ field, message: 'required' });
    else if (text.length > settings.standup.maxLength)
      errors.push({ field, message: `too long (${text.length} characters, at most ${settings.standup.maxLength})` });
  }
  const blockers = draft.blockers ?? [];
  if (blockers.length > settings.standup.maxBlockers)
    errors.push({ field: 'blockers', message: `too many (${blockers.length}, at most ${settings.standup.maxBlockers})` });
  blockers.forEach((b, i) => {
    const text = sanitizeLine(b.text ?? '', 10_000);
    if (!text) errors.push({ field: `blockers[${i}].text`, message: 'required' });
    else if (text.length > BLOCKER_MAX_LENGTH)
      errors.push({ field: `blockers[${i}].text`, message: `too long (${text.length} characters, at most ${BLOCKER_MAX_LENGTH})` });
    const waits = parseWaitsOn(b.waitsOn);
    if (typeof waits === 'string') {
      errors.push({ field: `blockers[${i}].waitsOn`, message: waits });
    } else if (waits) {
      const known =
        waits.kind === 'system'
          ? Boolean(config.systems[waits.id])
          : waits.kind === 'person'
            ? Boolean(config.people[waits.id])
            : matrix
              ? findEntity(matrix, waits.id)?.kind === 'task'
              : true;
      if (!known) errors.push({ field: `blockers[${i}].waitsOn`, message: `unknown ${waits.kind} "${sanitizeLine(waits.id, 60)}"` });
    }
  });
  return errors;
}

const normal = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, ' ');
// Task ids are matched case-insensitively, as the matrix does: "task:t3" today and "task:T3"
// tomorrow are the same blocker (it kept its age only when typed the same way).
const sameWaits = (a: Blocker['waitsOn'], b: Blocker['waitsOn']): boolean =>
  (a?.kind ?? null) === (b?.kind ?? null) &&
  (a?.kind === 'task' ? a.id.toLowerCase() === b?.id.toLowerCase() : (a?.id ?? null) === (b?.id ?? null));

/** Every open blocker of the store, once each (the latest standup's copy). */
function openBlockerCopies(core: Pick<CoreData, 'standups'>): Array<{ standup: Standup; blocker: Blocker }> {
  const byId = new Map<string, { standup: Standup; blocker: Blocker }>();
  const ordered = [...core.standups].sort((a, b) => a.at.localeCompare(b.at));
  for (const standup of ordered) {
    for (const blocker of standup.blockers) {
      if (blocker.resolvedAt === null) byId.set(blocker.id, { standup, blocker });
      else byId.delete(blocker.id);
    }
  }
  return [...byId.values()];
}

function nextBlockerNumber(core: Pick<CoreData, 'standups'>): number {
  let max = 0;
  for (const s of core.standups) {
    for (const version of [s, ...s.history]) {
      for (const b of version.blockers) {
        const n = /^B(\d+)$/.exec(b.id);
        if (n) max = Math.max(max, Number(n[1]));
      }
    }
  }
  return max + 1;
}

function markResolved(core: CoreDraft, id: string, at: string): void {
  for (const s of core.standups) {
    if (!s.blockers.some((b) => b.id === id && b.resolvedAt === null)) continue;
    const edited = core.editStandup(s.id);
    for (const b of edited.blockers) if (b.id === id && b.resolvedAt === null) b.resolvedAt = at;
  }
}

export interface SaveResult {
  standup: Standup;
  /** Today's earlier entry was replaced (and kept in history). */
  replaced: boolean;
  /** Who entered the replaced entry, and when (null when nothing was replaced). */
  previous: { author: string; at: string } | null;
  /** Blockers the new entry no longer names: resolved now. */
  resolved: Blocker[];
  /** Blockers the new entry introduced. */
  opened: Blocker[];
  audit: AuditEntry;
}

/**
 * Pure (records its changes on `core` only): apply a validated draft at `now`. Throws
 * StandupValidationError for a draft with field errors.
 */
export function applyStandup(
  core: CoreDraft,
  draft: StandupDraft,
  actor: string,
  now: number,
  config: Pick<ImosConfig, 'systems' | 'people' | 'plan' | 'file' | 'timezone'>,
  matrix?: Matrix | null,
): SaveResult {
  const errors = validateStandupDraft(draft, config, matrix);
  if (errors.length) throw new StandupValidationError(errors);
  const at = new Date(now).toISOString();
  const system = draft.system.trim();
  const date = localDate(now, config.timezone);
  const open = openBlockerCopies(core).filter((c) => c.standup.system === system).map((c) => c.blocker);
  let number = nextBlockerNumber(core);
  const carried = new Set<string>();
  const opened: Blocker[] = [];
  const blockers: Blocker[] = (draft.blockers ?? []).map((b) => {
    const text = sanitizeLine(b.text, BLOCKER_MAX_LENGTH);
    const parsed = (parseWaitsOn(b.waitsOn) as WaitsOn | null) ?? null;
    // A task is stored under the matrix's spelling of its id.
    const task = parsed?.kind === 'task' && matrix ? findEntity(matrix, parsed.id) : undefined;
    const waitsOn: WaitsOn | null = parsed && task ? { kind: 'task', id: task.id } : parsed;
    const same = open.find((o) => !carried.has(o.id) && normal(o.text) === normal(text) && sameWaits(o.waitsOn, waitsOn));
    if (same) {
      carried.add(same.id);
      return { id: same.id, text, waitsOn, openedAt: same.openedAt, resolvedAt: null };
    }
    const fresh: Blocker = { id: `B${number++}`, text, waitsOn, openedAt: at, resolvedAt: null };
    opened.push(fresh);
    return fresh;
  });
  const resolved = open.filter((o) => !carried.has(o.id));
  for (const r of resolved) markResolved(core, r.id, at);
  const existing = core.standups.find((s) => s.system === system && s.date === date);
  const previous = existing ? { author: existing.author, at: existing.at } : null;
  const body = {
    author: sanitizeLine(actor, 80),
    done: sanitizeText(draft.done).trim(),
    next: sanitizeText(draft.next).trim(),
    blockers,
    at,
  };
  let standup: Standup;
  if (existing) {
    const edited = core.editStandup(existing.id);
    const { history, ...previous } = edited;
    Object.assign(edited, body, { history: [...history, previous] });
    standup = edited;
  } else {
    standup = { id: `S-${date}-${system}`, system, date, ...body, history: [] };
    core.putStandup(standup);
  }
  const audit: AuditEntry = {
    at,
    actor,
    action: 'standup',
    target: system,
    detail: {
      date,
      replaced: Boolean(existing),
      ...(previous ? { previousAuthor: previous.author, previousAt: previous.at } : {}),
      blockers: blockers.map((b) => b.id),
      opened: opened.map((b) => b.id),
      resolved: resolved.map((b) => b.id),
    },
  };
  return { standup: structuredClone(standup), replaced: Boolean(existing), previous, resolved: structuredClone(resolved.map((r) => ({ ...r, resolvedAt: at }))), opened, audit };
}

/** Save a standup and its audit entry in one transaction. */
export async function saveStandup(
  store: Store,
  draft: StandupDraft,
  actor: string,
  now: number,
  config: Pick<ImosConfig, 'systems' | 'people' | 'plan' | 'file' | 'timezone'>,
  matrix?: Matrix | null,
): Promise<SaveResult> {
  // Validate before taking the lock: a bad draft never touches the store.
  const errors = validateStandupDraft(draft, config, matrix);
  if (errors.length) throw new StandupValidationError(errors);
  return store.transact('core', (tx) => {
    const core = new CoreDraft(tx);
    const result = applyStandup(core, draft, actor, now, config, matrix);
    core.audit(result.audit);
    return result;
  });
}

/** Resolve one open blocker by id; null when there is no such open blocker. */
export function applyResolveBlocker(core: CoreDraft, id: string, actor: string, now: number, note?: string): AuditEntry | null {
  const copy = openBlockerCopies(core).find((c) => c.blocker.id.toLowerCase() === id.trim().toLowerCase());
  if (!copy) return null;
  const at = new Date(now).toISOString();
  markResolved(core, copy.blocker.id, at);
  return {
    at,
    actor,
    action: 'blocker-resolve',
    target: copy.blocker.id,
    ...(note ? { note: sanitizeLine(note, 500) } : {}),
    detail: { system: copy.standup.system, text: copy.blocker.text },
  };
}

export async function resolveBlocker(store: Store, id: string, actor: string, now: number, note?: string): Promise<AuditEntry | null> {
  return store.transact('core', (tx) => {
    const core = new CoreDraft(tx);
    const audit = applyResolveBlocker(core, id, actor, now, note);
    if (audit) core.audit(audit);
    return audit;
  });
}

/** Standups of one day, by system. */
export function standupsOn(core: Pick<CoreData, 'standups'>, date: string, system?: string): Standup[] {
  if (!isDate(date)) throw new Error(`"${date}" is not a date: expected YYYY-MM-DD`);
  return core.standups
    .filter((s) => s.date === date && (!system || s.system === system))
    .sort((a, b) => a.system.localeCompare(b.system));
}

export { openBlockerCopies };
