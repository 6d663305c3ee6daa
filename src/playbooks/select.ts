// Which playbook answers an alert, and who it brings together. Pure: config + alert → answers.
import type { ImosConfig, PlaybookAction, PlaybookConfig } from '../config/types.js';
import { ANYONE, COORDINATED, DEPENDENTS, LEADER } from './roles.js';

/** What an alert needs to be matched: its check and its problem type. */
export interface AlertRef {
  id?: string;
  checkId: string;
  system: string;
  type: string;
}

/** The playbook for the alert: one naming its check, else one naming its type, else null. */
export function playbookFor(config: Pick<ImosConfig, 'playbooks'>, alert: Pick<AlertRef, 'checkId' | 'type'>): PlaybookConfig | null {
  const playbooks = config.playbooks ?? [];
  return playbooks.find((p) => p.checks.includes(alert.checkId)) ?? playbooks.find((p) => p.alertTypes.includes(alert.type)) ?? null;
}

/** Systems that depend on `system`, directly or through others, nearest first. Bounded by the systems. */
export function dependentSystems(config: Pick<ImosConfig, 'systems'>, system: string): string[] {
  const out: string[] = [];
  const queue = [system];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const other of Object.values(config.systems)) {
      if (other.id !== system && !out.includes(other.id) && other.depends_on.includes(current)) {
        out.push(other.id);
        queue.push(other.id);
      }
    }
  }
  return out;
}

/** Person ids for a list of people and roles (`leader`, `dependents`), in order, without repeats. */
export function resolvePeople(config: Pick<ImosConfig, 'systems' | 'people'>, system: string, names: readonly string[]): string[] {
  const out: string[] = [];
  const add = (id: string | undefined) => {
    if (id && config.people[id] && !out.includes(id)) out.push(id);
  };
  for (const name of names) {
    if (name === LEADER) add(config.systems[system]?.leader);
    else if (name === DEPENDENTS) for (const dep of dependentSystems(config, system)) add(config.systems[dep]?.leader);
    else add(name);
  }
  return out;
}

/** The people a playbook brings together for an alert of `system`. */
export function coordinatedPeople(config: Pick<ImosConfig, 'systems' | 'people'>, playbook: PlaybookConfig, system: string): string[] {
  return resolvePeople(config, system, playbook.coordinate);
}

/** Why `actor` may run `action` for an alert of `system` (the rule that lets them), or why not. */
export function mayRun(
  config: ImosConfig,
  playbook: PlaybookConfig,
  action: PlaybookAction,
  system: string,
  actor: string,
): { allowed: true; rule: string } | { allowed: false; reason: string } {
  for (const rule of action.allow) {
    if (rule === ANYONE) return { allowed: true, rule: 'allow: anyone' };
    const people = rule === COORDINATED ? coordinatedPeople(config, playbook, system) : resolvePeople(config, system, [rule]);
    if (people.includes(actor)) return { allowed: true, rule: `allow: ${rule}` };
  }
  const who = action.allow
    .map((rule) => {
      if (rule === ANYONE) return rule;
      const people = rule === COORDINATED ? coordinatedPeople(config, playbook, system) : resolvePeople(config, system, [rule]);
      return rule === people[0] && people.length === 1 ? rule : `${rule} (${people.join(', ') || 'nobody'})`;
    })
    .join(', ');
  const known = config.people[actor] ? '' : ` ("${actor}" is not a person of the configuration: run with --as PERSON)`;
  return { allowed: false, reason: `${actor} may not run ${action.id}: playbooks.${playbook.id}.actions.${action.id}.allow is [${who}]${known}` };
}
