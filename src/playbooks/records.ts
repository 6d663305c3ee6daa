// Runs of playbook actions as the audit log keeps them (one `action-run` entry per finished run,
// targeted at the alert: its history), read back for the reports, the console and the dashboard.
import type { AuditEntry } from '../model.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { ACTION_RUN } from './names.js';

export interface ActionRunRecord {
  at: string;
  startedAt: string;
  actor: string;
  alertId: string;
  playbook: string;
  action: string;
  /** argv as run. */
  command: string[];
  outcome: string;
  exitCode: number | null;
  durationMs: number;
  /** The last lines of output, sanitised. */
  output: string;
  /** One line: exit code and duration, or how it ended. */
  summary: string;
}

/** Finished runs among `audit` entries (oldest first), optionally only those at or after `fromMs` and before `toMs`. */
export function actionRuns(audit: readonly AuditEntry[], window: { fromMs?: number; toMs?: number } = {}): ActionRunRecord[] {
  const out: ActionRunRecord[] = [];
  for (const entry of audit) {
    if (entry.action !== ACTION_RUN) continue;
    const t = Date.parse(entry.at);
    if ((window.fromMs !== undefined && t < window.fromMs) || (window.toMs !== undefined && t >= window.toMs)) continue;
    const d = entry.detail ?? {};
    out.push({
      at: entry.at,
      startedAt: typeof d.startedAt === 'string' ? d.startedAt : entry.at,
      actor: sanitizeLine(entry.actor, 80),
      alertId: sanitizeLine(entry.target, 40),
      playbook: sanitizeLine(d.playbook, 80),
      action: sanitizeLine(d.action, 80),
      command: Array.isArray(d.command) ? d.command.map((w) => sanitizeLine(w, 200)) : [],
      outcome: sanitizeLine(d.outcome, 40),
      exitCode: typeof d.exitCode === 'number' ? d.exitCode : null,
      durationMs: typeof d.durationMs === 'number' ? d.durationMs : 0,
      output: sanitizeText(d.output ?? ''),
      summary: sanitizeLine(entry.note ?? '', 200),
    });
  }
  return out;
}
