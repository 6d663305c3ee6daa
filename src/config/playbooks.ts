// `playbooks:` in imos.yaml: what to do when an alert opens. Per alert type or per check: who to
// bring together beyond the severity policy, a short runbook, and actions (a program run with argv,
// never a shell) with their guard rails. This file says what is allowed and turns it into
// PlaybookConfig; running an action is src/playbooks.
import path from 'node:path';
import * as z from 'zod';
import { parseDuration } from '../text/durations.js';
import type { ConfigIssue } from './errors.js';
import type { FieldPath, SourceMap } from './load.js';
import { ALLOW_ROLES, COORDINATED, COORDINATE_ROLES } from '../playbooks/roles.js';
import { argProblem, placeholders } from '../playbooks/args.js';

export { argProblem, placeholders, MAX_ARG_LENGTH } from '../playbooks/args.js';
import type { ActionArg, Person, PlaybookAction, PlaybookConfig, SystemConfig } from './types.js';

/** Default guard rails (docs/CONTRACT.md). */
export const DEFAULT_ACTION_TIMEOUT = '5m';
export const DEFAULT_KEEP_LINES = 200;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an id of letters, digits, "-", "_" or "."');
const word = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const durationText = z
  .string()
  .refine((s) => (parseDuration(s) ?? 0) > 0, { message: 'expected a duration longer than 0s, such as 30s, 10m' });

const argSchema = z
  .strictObject({
    choices: z.array(word).min(1).optional().describe('The values allowed'),
    pattern: z.string().min(1).optional().describe('A regular expression the whole value must match'),
    default: word.optional(),
  })
  .superRefine((arg, ctx) => {
    if (!arg.choices === !arg.pattern) {
      ctx.addIssue({ code: 'custom', message: 'give an argument either `choices` or `pattern` (never free text)' });
    }
  });

const actionSchema = z.strictObject({
  title: z.string().min(1).optional().describe('One line for people (default: the action id)'),
  run: z
    .array(word)
    .min(1, 'give at least the program name')
    .describe('The program and its arguments (argv: no shell); `{name}` takes the argument `name`'),
  cwd: z.string().optional().describe('Working directory (relative to the configuration file; default its folder)'),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'), word).default({}),
  timeout: durationText.default(DEFAULT_ACTION_TIMEOUT),
  confirm: z.string().min(1).optional().describe('A phrase the runner types before it runs'),
  allow: z.array(z.string().min(1)).min(1).optional().describe('Person ids or roles (leader, dependents, coordinated, anyone); default coordinated'),
  overlap: z.boolean().default(false).describe('Whether a second run may start while one runs'),
  keep_output: z.number().int().min(1).max(100_000).default(DEFAULT_KEEP_LINES).describe('Lines of output kept per run (the tail)'),
  args: z.record(id, argSchema).default({}),
});

export const playbookSchema = z
  .strictObject({
    alert_types: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an alert type such as DATA_SYNC_FAILURE')).default([]),
    checks: z.array(id).default([]),
    coordinate: z.array(z.string().min(1)).default([]).describe('Person ids, leader, dependents'),
    runbook: z.string().default('').describe('Markdown: what to do'),
    actions: z.record(id, actionSchema).default({}),
    allow_slack_actions: z.boolean().default(false).describe("Slack buttons run the actions (signed requests, people in `people` only)"),
  })
  .superRefine((playbook, ctx) => {
    if (playbook.alert_types.length === 0 && playbook.checks.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'a playbook needs alert_types or checks (which alerts it answers)' });
    }
  });

export const playbooksSchema = z.record(id, playbookSchema).default({});

type RawPlaybook = z.output<typeof playbookSchema>;

export interface PlaybookRefs {
  people: Record<string, Person>;
  systems: Record<string, SystemConfig>;
  checkIds: ReadonlySet<string>;
  baseDir: string;
}

/** From the file's `playbooks:` to PlaybookConfig, with an issue for every reference that does not resolve. */
export function normalizePlaybooks(raw: Record<string, RawPlaybook>, refs: PlaybookRefs, source: SourceMap, issues: ConfigIssue[]): PlaybookConfig[] {
  const out: PlaybookConfig[] = [];
  const people = Object.keys(refs.people);
  const known = (list: string[]) => (list.length > 0 ? list.join(', ') : 'none defined');
  for (const [playbookId, playbook] of Object.entries(raw)) {
    const at: FieldPath = ['playbooks', playbookId];
    playbook.checks.forEach((check, i) => {
      if (!refs.checkIds.has(check)) issues.push(source.issue([...at, 'checks', i], `unknown check "${check}" (checks: ${known([...refs.checkIds])})`));
    });
    playbook.coordinate.forEach((who, i) => {
      if (!COORDINATE_ROLES.includes(who) && !refs.people[who]) {
        issues.push(source.issue([...at, 'coordinate', i], `unknown person "${who}" (people: ${known(people)}, or ${COORDINATE_ROLES.join(', ')})`));
      }
    });
    const actions: PlaybookAction[] = [];
    for (const [actionId, action] of Object.entries(playbook.actions)) {
      const here: FieldPath = [...at, 'actions', actionId];
      (action.allow ?? []).forEach((who, i) => {
        if (!ALLOW_ROLES.includes(who) && !refs.people[who]) {
          issues.push(source.issue([...here, 'allow', i], `unknown person or role "${who}" (people: ${known(people)}, or ${ALLOW_ROLES.join(', ')})`));
        }
      });
      const args: ActionArg[] = [];
      for (const [name, arg] of Object.entries(action.args)) {
        const argAt: FieldPath = [...here, 'args', name];
        if (arg.pattern !== undefined && !validPattern(arg.pattern)) {
          issues.push(source.issue([...argAt, 'pattern'], `not a valid regular expression: ${arg.pattern}`));
          continue;
        }
        const parsed: ActionArg = { name, ...(arg.choices ? { choices: arg.choices } : {}), ...(arg.pattern ? { pattern: arg.pattern } : {}) };
        if (arg.default !== undefined) {
          const problem = argProblem(parsed, arg.default);
          if (problem) issues.push(source.issue([...argAt, 'default'], problem));
          parsed.default = arg.default;
        }
        args.push(parsed);
      }
      const declared = new Set(Object.keys(action.args));
      const used = new Set<string>();
      action.run.forEach((element, i) => {
        for (const name of placeholders(element)) {
          used.add(name);
          if (!declared.has(name)) {
            issues.push(source.issue([...here, 'run', i], `{${name}} is not an argument of this action (declare it under args with choices or a pattern)`));
          }
        }
      });
      if (placeholders(action.run[0]!).length > 0) issues.push(source.issue([...here, 'run', 0], 'the program itself cannot come from an argument'));
      for (const name of declared) if (!used.has(name)) issues.push(source.issue([...here, 'args', name], `argument "${name}" is not used in run`));
      actions.push({
        id: actionId,
        title: action.title ?? actionId,
        run: action.run,
        cwd: path.resolve(refs.baseDir, action.cwd ?? '.'),
        env: action.env,
        timeoutMs: parseDuration(action.timeout) ?? 300_000,
        confirm: action.confirm ?? null,
        allow: action.allow ?? [COORDINATED],
        overlap: action.overlap,
        keepLines: action.keep_output,
        args,
      });
    }
    out.push({
      id: playbookId,
      alertTypes: playbook.alert_types,
      checks: playbook.checks,
      coordinate: playbook.coordinate,
      runbook: playbook.runbook,
      actions,
      allowSlackActions: playbook.allow_slack_actions,
    });
  }
  // Two playbooks answering the same check (or type) would leave which one applies to chance.
  for (const key of ['checks', 'alertTypes'] as const) {
    const owner = new Map<string, string>();
    for (const playbook of out) {
      playbook[key].forEach((value, i) => {
        const first = owner.get(value);
        const field = key === 'checks' ? 'checks' : 'alert_types';
        if (first) issues.push(source.issue(['playbooks', playbook.id, field, i], `"${value}" is answered by playbook "${first}" already`));
        else owner.set(value, playbook.id);
      });
    }
  }
  return out;
}

function validPattern(source: string): boolean {
  try {
    new RegExp(`^(?:${source})$`);
    return true;
  } catch {
    return false;
  }
}
