// A playbook as people read it: the runbook as plain text (terminal, email) or Slack mrkdwn, the
// command an action runs written out, the actions and who is brought together. Pure; sanitised.
import type { ImosConfig, PlaybookAction, PlaybookConfig } from '../config/types.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { coordinatedPeople } from './select.js';

/** The runbook's Markdown as plain text: emphasis and code marks dropped, headings and lists kept readable. */
export function runbookText(markdown: string): string {
  return sanitizeText(markdown)
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)#{1,6}\s+(.*)$/, (_m, indent: string, title: string) => `${indent}${title.toUpperCase()}`)
        .replace(/^(\s*)[*+-]\s+/, '$1• ')
        .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_m, a?: string, b?: string) => a ?? b ?? '')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)'),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The runbook as Slack mrkdwn (`*bold*`, code kept), escaped for Slack. */
export function runbookMrkdwn(markdown: string): string {
  return sanitizeText(markdown)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)#{1,6}\s+(.*)$/, '$1*$2*')
        .replace(/^(\s*)[*+-]\s+/, '$1• ')
        .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_m, a?: string, b?: string) => `*${a ?? b ?? ''}*`),
    )
    .join('\n')
    .trim();
}

/** One argv element as a shell would need it written (for people to read: nothing runs a shell). */
function quoted(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command written out, e.g. `./scripts/recover-sync.sh pms`. */
export function commandText(argv: readonly string[]): string {
  return sanitizeLine(argv.map(quoted).join(' '), 400);
}

/** The values an action's arguments take when none are given. */
export function argDefaults(action: Pick<PlaybookAction, 'args'>): Record<string, string> {
  return Object.fromEntries(action.args.filter((arg) => arg.default !== undefined).map((arg) => [arg.name, arg.default!]));
}

/** `imos run A7 recover`: how to run an action from a shell. */
export function runHint(alertId: string, action: PlaybookAction): string {
  return `imos run ${alertId} ${action.id}`;
}

/** People's names, for the "coordinated" line. */
export function coordinatedNames(config: Pick<ImosConfig, 'systems' | 'people'>, playbook: PlaybookConfig, system: string): string[] {
  return coordinatedPeople(config, playbook, system).map((id) => sanitizeLine(config.people[id]?.name ?? id, 80));
}

/** The playbook as a plain-text block for a notice (email body, webhook text). */
export function playbookNoticeText(config: ImosConfig, playbook: PlaybookConfig, alert: { id: string; system: string }): string {
  const lines: string[] = [`Playbook ${playbook.id}`];
  const names = coordinatedNames(config, playbook, alert.system);
  if (names.length > 0) lines.push(`Brought together: ${names.join(', ')}`);
  const runbook = runbookText(playbook.runbook);
  if (runbook) lines.push('', runbook);
  if (playbook.actions.length > 0) {
    lines.push('', 'Actions:');
    for (const action of playbook.actions) {
      lines.push(`• ${sanitizeLine(action.title, 120)}: ${commandText(action.run)} — ${runHint(alert.id, action)}${action.confirm ? ' (asks for a confirmation phrase)' : ''}`);
    }
  }
  return lines.join('\n');
}

/** What a notice's payload carries of the playbook (for webhooks and senders). */
export function playbookPayload(config: ImosConfig, playbook: PlaybookConfig, system: string): Record<string, unknown> {
  return {
    id: playbook.id,
    coordinate: coordinatedPeople(config, playbook, system),
    runbook: playbook.runbook,
    actions: playbook.actions.map((a) => ({ id: a.id, title: a.title, command: a.run, confirm: a.confirm !== null })),
  };
}
