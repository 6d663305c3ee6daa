// An alert's playbook as the console's detail view and the dashboard's alert page show it: who is
// brought together, the runbook as plain text, the actions with the exact command. Pure, sanitised.
import type { Alert } from '../../src/model.js';
import type { ImosConfig } from '../../src/config/types.js';
import { argDefaults, commandText, coordinatedNames, runbookText } from '../../src/playbooks/present.js';
import { playbookFor } from '../../src/playbooks/select.js';
import { fillPlaceholders } from '../../src/playbooks/args.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import type { AuditEntry } from '../../src/model.js';
import { actionRuns } from '../../src/playbooks/records.js';

export interface PlaybookActionView {
  /** The number key that picks it in the console (1–9). */
  key: string;
  id: string;
  title: string;
  /** The command as it will run (arguments at their defaults). */
  command: string;
  /** Whether it asks for a phrase before it runs. */
  confirm: boolean;
}

export interface PlaybookView {
  id: string;
  coordinated: string[];
  /** The runbook as plain-text lines. */
  runbook: string[];
  actions: PlaybookActionView[];
}

export function playbookView(config: Pick<ImosConfig, 'playbooks' | 'people' | 'systems'>, alert: Pick<Alert, 'checkId' | 'type' | 'system'>): PlaybookView | null {
  const playbook = playbookFor(config, alert);
  if (!playbook) return null;
  return {
    id: sanitizeLine(playbook.id, 80),
    coordinated: coordinatedNames(config, playbook, alert.system),
    runbook: runbookText(playbook.runbook).split('\n').filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== '')),
    actions: playbook.actions.slice(0, 9).map((a, i) => {
      const defaults = argDefaults(a);
      return {
        key: String(i + 1),
        id: a.id,
        title: sanitizeLine(a.title, 120),
        command: commandText(a.run.map((w) => fillPlaceholders(w, defaults))),
        confirm: a.confirm !== null,
      };
    }),
  };
}

/** One finished run of a playbook action, as the alert's history shows it. */
export interface AlertRunView {
  at: string;
  actor: string;
  /** `sync-recovery.recover`. */
  action: string;
  /** The command as it ran. */
  command: string;
  /** Exit code and duration, or how it ended. */
  summary: string;
  /** The last lines of its output (the audit log keeps 20). */
  output: string[];
}

/** The alert's action runs among `audit` entries, newest first (at most `limit`). */
export function alertRuns(audit: readonly AuditEntry[], alertId: string, limit = 5): AlertRunView[] {
  return actionRuns(audit.filter((e) => e.target === alertId))
    .reverse()
    .slice(0, limit)
    .map((r) => ({
      at: r.at,
      actor: r.actor,
      action: `${r.playbook}.${r.action}`,
      command: commandText(r.command),
      summary: r.summary,
      output: r.output ? r.output.split('\n') : [],
    }));
}
