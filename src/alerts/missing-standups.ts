// A system with no standup by the configured time is flagged to its leader: one MISSING_STANDUP
// alert per system and day (MEDIUM: shown in the console, collected into the reports), resolved
// as soon as the standup is entered or the day is over. The plan module says what is missing.
import type { AuditEntry } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreDraft } from '../store/core-draft.js';
import { isActive, openAlert, resolveInCore, SYSTEM_ACTOR, type AlertsRead } from './lifecycle.js';

export const MISSING_STANDUP_TYPE = 'MISSING_STANDUP';

export interface MissingStandupSource {
  system: string;
  leader: string | null;
  date: string;
  dueAt: string;
}

const checkIdOf = (m: Pick<MissingStandupSource, 'system' | 'date'>) => `standup:${m.system}:${m.date}`;

export function missingStandupsOutOfStep(core: AlertsRead, missing: readonly MissingStandupSource[]): boolean {
  const alerted = new Set(core.alerts.filter((a) => a.type === MISSING_STANDUP_TYPE && isActive(a)).map((a) => a.checkId));
  const wanted = new Set(missing.map(checkIdOf));
  return alerted.size !== wanted.size || [...wanted].some((id) => !alerted.has(id));
}

/** Open an alert for each newly missing standup; resolve those that were entered (or whose day passed). */
export function applyMissingStandups(core: CoreDraft, missing: readonly MissingStandupSource[], config: ImosConfig, nowMs: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const wanted = new Map(missing.map((m) => [checkIdOf(m), m]));
  for (const alert of core.alerts) {
    if (alert.type !== MISSING_STANDUP_TYPE || !isActive(alert)) continue;
    if (wanted.has(alert.checkId)) wanted.delete(alert.checkId);
    else entries.push(resolveInCore(core, config, alert, { actor: SYSTEM_ACTOR, nowMs, note: 'standup entered' }));
  }
  for (const [checkId, m] of wanted) {
    const leader = m.leader ? (config.people[m.leader]?.name ?? m.leader) : 'no leader set';
    const due = new Intl.DateTimeFormat('en-GB', { timeZone: config.timezone, hour: '2-digit', minute: '2-digit' }).format(new Date(m.dueAt));
    const { audit } = openAlert(
      core,
      config,
      {
        checkId,
        system: m.system,
        type: MISSING_STANDUP_TYPE,
        severity: 'MEDIUM',
        message: `No standup from ${m.system} for ${m.date} (due ${due}; leader: ${leader})`,
        value: null,
      },
      nowMs,
    );
    entries.push(...audit);
  }
  return entries;
}
