// `imos init`: writes a commented imos.yaml and an integration matrix template into the current
// directory. On a terminal it asks for the project name and the systems; otherwise it uses the
// defaults (the directory's name; three example systems). It never overwrites a file.
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { sanitizeLine } from '../../text/sanitize.js';
import { CliError, EXIT } from '../context.js';

export const CONFIG_FILE = 'imos.yaml';
export const MATRIX_FILE = 'Integration_Management_Matrix.md';
export const DEFAULT_SYSTEMS = ['platform', 'api', 'web'];

export interface InitAnswers {
  project: string;
  systems: string[];
}

export function register(program: Command): void {
  program
    .command('init')
    .description(`write a commented ${CONFIG_FILE} and ${MATRIX_FILE} here (asks on a terminal; never overwrites)`)
    .action(async () => {
      const cwd = process.cwd();
      const existing = [CONFIG_FILE, 'imos.yml', MATRIX_FILE].filter((name) => existsSync(join(cwd, name)));
      if (existing.length > 0) throw new CliError(`will not overwrite ${existing.join(', ')} in ${cwd} (move them away first)`, 1);
      const defaults: InitAnswers = { project: defaultProjectName(cwd), systems: DEFAULT_SYSTEMS };
      const given = process.stdin.isTTY && process.stdout.isTTY ? await ask(defaults) : defaults;
      // One plain line: the name goes into a YAML comment and the matrix heading, and is printed.
      const answers = { ...given, project: sanitizeLine(given.project, 120) || 'My integration' };
      writeNew(join(cwd, CONFIG_FILE), configTemplate(answers));
      writeNew(join(cwd, MATRIX_FILE), matrixTemplate(answers));
      process.stdout.write(
        [
          `wrote ${CONFIG_FILE} and ${MATRIX_FILE} for "${answers.project}" (${answers.systems.join(', ')})`,
          'next: edit the URLs and checks, then `imos validate` and `imos`',
          '',
        ].join('\n'),
      );
      process.exitCode = EXIT.ok;
    });
}

/** Exclusive create: a file that appeared since the check above is not overwritten either. */
function writeNew(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`will not overwrite ${file}`, 1);
    throw error;
  }
}

export function defaultProjectName(cwd: string): string {
  const name = sanitizeLine(basename(cwd).replace(/[-_]+/g, ' '), 120);
  return name && name !== '/' ? name : 'My integration';
}

/** "Hotel PMS, member_api" → ["hotel-pms", "member_api"]; ids the config accepts. */
export function parseSystems(text: string): string[] {
  const ids = text
    .split(',')
    .map((s) =>
      s
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^[^a-z0-9]+|-+$/g, ''),
    )
    .filter(Boolean);
  return [...new Set(ids)];
}

async function ask(defaults: InitAnswers): Promise<InitAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await questions(rl, defaults);
  } catch (error) {
    // Ctrl-C or Ctrl-D at a prompt: nothing has been written yet.
    if ((error as Error)?.name === 'AbortError') {
      process.stdout.write('\n');
      throw new CliError('init cancelled: nothing written', /Ctrl\+C/.test((error as Error).message) ? 130 : 1);
    }
    throw error;
  } finally {
    rl.close();
  }
}

async function questions(rl: ReturnType<typeof createInterface>, defaults: InitAnswers): Promise<InitAnswers> {
  const project = (await rl.question(`Project name [${defaults.project}]: `)).trim() || defaults.project;
  let systems: string[] = [];
  for (let attempt = 0; attempt < 3 && systems.length === 0; attempt++) {
    const text = (await rl.question(`Systems to integrate, separated by commas [${defaults.systems.join(', ')}]: `)).trim();
    systems = text ? parseSystems(text) : defaults.systems;
  }
  return { project, systems: systems.length > 0 ? systems : defaults.systems };
}

const yamlString = (text: string): string => JSON.stringify(text);
const envName = (system: string): string => `${system.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;

/** The commented configuration; it validates as written (every ${VAR} has a default). */
export function configTemplate({ project, systems }: InitAnswers): string {
  const [first] = systems;
  const lines = [
    `# imos configuration for ${project}. Reference: the README ("Configuration").`,
    '# Conditions everywhere use one small language over a check\'s metrics:',
    '#   <metric> <op> <value>   ops: == != < <= > >=   values: numbers, 5s / 10m / 24h, 80%, \'text\'',
    '# Secrets (tokens, passwords) come from the environment: ${VAR}, or ${VAR:-default}.',
    `project: ${yamlString(project)}`,
    'timezone: UTC                      # the team\'s timezone: standup days, reports, maintenance windows',
    '',
    'people:',
    '  manager: { name: Integration manager }   # add slack: U0…, email: … to notify them',
    '  owner:   { name: Project owner }',
    '',
    'systems:                           # one entry per system being integrated',
    ...systems.map((s) => `  ${s}: { name: ${yamlString(s)}, leader: manager${s === first || !first ? '' : `, depends_on: [${first}]`} }`),
    '',
    'defaults:',
    '  every: 30s                       # polling interval',
    '  timeout: 10s                     # a check still running after this counts as an error',
    '  failure_threshold: 2             # consecutive failures before the status turns',
    '  success_threshold: 1             # consecutive passes before it recovers',
    '',
    'checks:',
    ...systems.flatMap((s, i) => [
      `  - id: ${s}-health`,
      `    system: ${s}`,
      '    kind: http                     # metrics: status, latency, body.<path>',
      `    url: \${${envName(s)}:-http://127.0.0.1:${8001 + i}}/health`,
      '    expect: ["status == 200", "latency < 500ms"]',
      '    severity: CRITICAL             # when any expectation fails',
      '',
    ]),
    '  # More kinds (see the README): postgres, migrations, tables, sync-lag, event-flow,',
    '  # consistency, sql, typescript, command. For example:',
    '  # - id: unified-db',
    `  #   system: ${first ?? 'platform'}`,
    '  #   kind: postgres',
    '  #   url: ${DATABASE_URL}',
    '  #   thresholds: { HIGH: "connections > 80%" }',
    '  # - id: pending-migrations',
    `  #   system: ${first ?? 'platform'}`,
    '  #   kind: migrations',
    '  #   url: ${DATABASE_URL}',
    '  #   style: prisma',
    '  #   dir: ./prisma/migrations',
    '  #   thresholds: { CRITICAL: "pending > 0" }',
    '',
    'severities:                        # response time, channels and escalation per severity',
    '  CRITICAL:',
    '    respond_within: 0m',
    '    notify: [console]              # add slack, email, webhook once channels are set',
    '    escalate:',
    '      - { after: 30m, to: [manager] }',
    '      - { after: 30m, to: [owner] }',
    '    ack_timeout: 2h',
    '  HIGH:',
    '    respond_within: 1h',
    '    notify: [console]',
    '    escalate:',
    '      - { after: 24h, to: [manager] }',
    '  MEDIUM:',
    '    respond_within: 24h',
    '    notify: [console]',
    '    digest: weekly',
    '',
    '# channels:',
    '#   slack:',
    '#     token: ${SLACK_BOT_TOKEN}',
    '#     signing_secret: ${SLACK_SIGNING_SECRET}',
    '#     channel: "#integration-alerts"',
    '#   email:',
    '#     smtp: ${SMTP_URL}             # smtp://user:pass@host:587',
    '#     from: imos@example.com',
    '',
    `matrix: ./${MATRIX_FILE}`,
    '',
    'phases:                            # the timeline: edit the dates',
    `  - { name: "Phase 1: foundation", start: ${isoDay(0)}, end: ${isoDay(14)} }`,
    `  - { name: "Phase 2: connections", start: ${isoDay(14)}, end: ${isoDay(42)} }`,
    '',
    'store: ${IMOS_STORE:-./.imos/imos.json}   # shared state; several consoles may open it at once',
    '',
  ];
  return lines.join('\n');
}

function isoDay(daysFromToday: number): string {
  return new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
}

/** The integration matrix, one row per system, ready to fill in. */
export function matrixTemplate({ project, systems }: InitAnswers): string {
  const pad = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const [first] = systems;
  return [
    `# Integration Management Matrix — ${project}`,
    '',
    'Edit this file by hand; imos reads it, and `imos matrix set ITEM STATUS` rewrites one status cell',
    'without touching anything else.',
    '',
    'Statuses: `done` ✅ · `in progress` 🔄 · `todo` ⏳ · `blocked` 🚫. Priorities: CRITICAL → HIGH → MEDIUM → LOW.',
    '',
    '## Integration items (tables)',
    '',
    pad(['Table', 'System', 'Status', 'Owner', 'Phase', 'Priority', 'Depends on', 'Notes']),
    pad(['---', '---', '---', '---', '---', '---', '---', '---']),
    ...systems.map((s) => pad([`${s.replace(/[^a-z0-9]+/g, '_')}_records`, s, '⏳ todo', 'manager', 'Phase 1', 'HIGH', '-', '-'])),
    '',
    '## Systems',
    '',
    pad(['System', 'Name', 'Status', 'Since', 'Leader', 'Notes']),
    pad(['---', '---', '---', '---', '---', '---']),
    ...systems.map((s) => pad([s, s, '⏳ not connected', '-', 'manager', '-'])),
    '',
    '## Tasks',
    '',
    'A task is ready when everything in its *Depends on* column is done.',
    '',
    pad(['ID', 'Task', 'System', 'Priority', 'Status', 'Depends on', 'Assignee', 'Estimate', 'Due', 'Phase']),
    pad(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---']),
    pad(['T1', 'Agree on the shared schema', first ?? 'platform', 'CRITICAL', '⏳ todo', '-', 'manager', '2d', isoDay(7), 'Phase 1']),
    ...systems.map((s, i) => pad([`T${i + 2}`, `Connect ${s}`, s, 'HIGH', '⏳ todo', 'T1', 'manager', '3d', isoDay(21), 'Phase 2'])),
    '',
    '## Phases',
    '',
    pad(['Phase', 'Start', 'End', 'Notes']),
    pad(['---', '---', '---', '---']),
    pad(['Phase 1: foundation', isoDay(0), isoDay(14), '-']),
    pad(['Phase 2: connections', isoDay(14), isoDay(42), '-']),
    '',
  ].join('\n');
}
