// The demo's workspace: a copy of data/example in a temporary directory, with the config made
// fit for a compressed day. The engine stays honest (it runs on the real clock); what changes is
// the configuration: every interval and escalation delay is divided by --speed, the project's
// dates are moved so that "today" falls in the middle of the plan, and without PostgreSQL the
// database checks are replaced by one that says so.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML, { isMap, isScalar, isSeq, type Document } from 'yaml';
import { parseDuration } from '../text/durations.js';
import { scaleDuration } from './script.js';

/** The kinds that need the demo's database. */
export const DATABASE_KINDS = new Set(['postgres', 'migrations', 'tables', 'sync-lag', 'event-flow', 'consistency', 'sql']);

export const NO_POSTGRES_NOTICE = "PostgreSQL not installed: the demo's database checks are off";

/** The example's "today": the plan's dates are moved so that this day becomes the real today. */
export const EXAMPLE_TODAY = '2025-01-28';

/** data/example, found from wherever this code runs (source under vitest, dist/ when bundled). */
export function findExampleDir(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'example');
    if (existsSync(join(candidate, 'imos.yaml'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`the example workspace (data/example/imos.yaml) was not found above ${from}`);
}

export interface DemoWorkspaceOptions {
  speed: number;
  postgres: boolean;
  /** Without PostgreSQL: what the notice check says (default NO_POSTGRES_NOTICE). */
  notice?: string;
  /** Calendar day (YYYY-MM-DD) the plan's EXAMPLE_TODAY moves to. */
  today: string;
}

export interface DemoWorkspace {
  dir: string;
  config: string;
  matrix: string;
  store: string;
}

/** Copy the example into `dir` and rewrite its config and matrix for the demo. */
export function writeDemoWorkspace(exampleDir: string, dir: string, options: DemoWorkspaceOptions): DemoWorkspace {
  cpSync(exampleDir, dir, {
    recursive: true,
    filter: (source) => !/[\\/](\.imos|node_modules)$/.test(source.slice(exampleDir.length)),
  });
  const config = join(dir, 'imos.yaml');
  const matrix = join(dir, 'Integration_Management_Matrix.md');
  // Whole weeks, so that weekdays stay weekdays (standups are not expected on days off).
  const offset = 7 * Math.round(daysBetween(EXAMPLE_TODAY, options.today) / 7);
  writeFileSync(config, demoConfigText(readFileSync(config, 'utf8'), { ...options, dayOffset: offset }));
  if (existsSync(matrix)) writeFileSync(matrix, shiftDates(readFileSync(matrix, 'utf8'), offset));
  return { dir, config, matrix, store: resolve(dir, '.imos', 'imos.json') };
}

/** Pure: the example config rewritten for the demo (durations scaled, dates moved, checks). */
export function demoConfigText(text: string, options: DemoWorkspaceOptions & { dayOffset: number }): string {
  const doc = YAML.parseDocument(text);
  scaleDurations(doc, options.speed);
  runNodeProgramsWithThisNode(doc);
  if (!options.postgres) replaceDatabaseChecks(doc, options.notice ?? NO_POSTGRES_NOTICE);
  const header =
    `# Written by \`imos demo --speed ${options.speed}\` from the example workspace: every interval and\n` +
    `# escalation delay is the example's divided by ${options.speed} (at least 1s), and the plan's dates are\n` +
    `# moved so that today falls inside it.\n`;
  return header + shiftDates(doc.toString({ lineWidth: 0 }), options.dayOffset);
}

const SCALED_KEYS: Record<string, number> = { every: 1000, after: 1000, ack_timeout: 1000, respond_within: 0 };

function scaleDurations(doc: Document, speed: number): void {
  YAML.visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) return;
      const floor = SCALED_KEYS[String(pair.key.value)];
      if (floor === undefined || typeof pair.value.value !== 'string') return;
      const ms = parseDuration(pair.value.value);
      if (ms === null) return;
      pair.value.value = `${scaleDuration(ms, speed, floor) / 1000}s`;
    },
  });
}

/** `run: [node, …]` in the example runs with the Node that runs the demo (whatever PATH says). */
function runNodeProgramsWithThisNode(doc: Document): void {
  const checks = doc.get('checks');
  if (!isSeq(checks)) return;
  for (const item of checks.items) {
    const run = isMap(item) ? item.get('run') : null;
    const program = isSeq(run) ? run.items[0] : null;
    if (isScalar(program) && program.value === 'node') program.value = process.execPath;
  }
}

function replaceDatabaseChecks(doc: Document, notice: string): void {
  const checks = doc.get('checks');
  if (!isSeq(checks)) return;
  const removed = new Set<string>();
  checks.items = checks.items.filter((item) => {
    const database = isMap(item) && DATABASE_KINDS.has(String(item.get('kind')));
    if (database) removed.add(String((item as YAML.YAMLMap).get('id')));
    return !database;
  });
  dropGateRequirements(doc, removed);
  // One visible line in the console and in `imos status` instead of silently missing checks.
  const node = doc.createNode({
    id: 'database-checks',
    system: 'hotel-common',
    kind: 'command',
    run: [process.execPath, '-e', `console.log(${JSON.stringify(notice)})`],
    every: '1h',
  });
  node.commentBefore = ` ${notice} (install PostgreSQL to see them).`;
  checks.items.unshift(node);
}

/**
 * Gates read checks that are gone without the database: their requirements on those checks (or
 * kinds) go too, and a gate left with none goes (the configuration would refuse them).
 */
function dropGateRequirements(doc: Document, removedChecks: ReadonlySet<string>): void {
  const gates = doc.get('gates');
  if (!isMap(gates)) return;
  for (const level of gates.items) {
    if (!isSeq(level.value)) continue;
    level.value.items = level.value.items.filter((gate) => {
      const require = isMap(gate) ? gate.get('require') : null;
      if (!isSeq(require)) return true;
      require.items = require.items.filter((req) => {
        if (!isMap(req)) return true;
        const kind = req.get('kind');
        const check = req.get('check', true);
        const ids = isSeq(check) ? check.items.map((i) => String(isScalar(i) ? i.value : i)) : check !== undefined ? [String(isScalar(check) ? check.value : check)] : [];
        return !(typeof kind === 'string' && DATABASE_KINDS.has(kind)) && !ids.some((id) => removedChecks.has(id));
      });
      return require.items.length > 0;
    });
  }
}

const DATE = /\b(\d{4})-(\d{2})-(\d{2})(?=\b|T\d)/g;

/** Move every YYYY-MM-DD date in `text` by `days` (also the date of a `YYYY-MM-DDTHH:MM` time). */
export function shiftDates(text: string, days: number): string {
  if (days === 0) return text;
  return text.replace(DATE, (match, y: string, m: string, d: string) => {
    const time = Date.UTC(Number(y), Number(m) - 1, Number(d));
    if (Number.isNaN(time) || new Date(time).getUTCDate() !== Number(d)) return match;
    return new Date(time + days * 86_400_000).toISOString().slice(0, 10);
  });
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day of `nowMs` in `timeZone` (YYYY-MM-DD). */
export function dayIn(nowMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(nowMs);
}
