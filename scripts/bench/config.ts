// Configuration at scale: `imos validate`, `imos status` and `imos check --only ID` on a
// 10,000-check configuration, each against `node -e 0` plus the work the command cannot avoid,
// measured in the same run by a bare script: parsing the YAML (the faster of the two parsers imos
// ships), and for status reading the store's files. Target: within 2.5 × `node -e 0` + that work.
// Then status and check --only again on the store at its steady state (every history full, a month
// of uptime counts), each against a bare read of the sections it reads.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { expandEnv, loadConfigFile, SourceMap } from '../../src/config/load.js';
import { configSchema, defaultsSchema } from '../../src/config/schema.js';
import { validateChecks } from '../../src/config/checks.js';
import { readYamlFast } from '../../src/config/yaml-fast.js';
import type { HistoryPoint } from '../../src/model.js';
import { openStore } from '../../src/store/open.js';
import { seedStore } from '../../src/store/testing/draft.js';
import { uptimeAtBound } from './lib/steady-state.js';
import { serveTargets, startTargets } from './lib/targets.js';
import { figure, figures, report, target, type Figures } from './measure.js';

const CHECKS = 10_000;
const SYSTEMS = 200;
/** Runs of each command, interleaved: the median of 9 moves less from run to run than that of 5 (each limit is three medians). */
const RUNS = 9;
const root = process.cwd();
const bin = path.join(root, 'bin/imos.js');

function configText(port: number): string {
  const lines = ['project: Scale', 'systems:'];
  for (let s = 0; s < SYSTEMS; s++) lines.push(`  sys-${s}: { name: System ${s} }`);
  lines.push('defaults: { every: 10m, timeout: 5s }', 'store: ./state/imos.json', 'checks:');
  for (let i = 0; i < CHECKS; i++) {
    const system = `sys-${i % SYSTEMS}`;
    if (i % 20 === 7) lines.push(`  - { id: cmd-${i}, system: ${system}, kind: command, run: [true], thresholds: { HIGH: "duration > 2s" } }`);
    else {
      lines.push(
        `  - id: api-${i}`,
        `    system: ${system}`,
        '    kind: http',
        `    url: http://127.0.0.1:${port}/ok/${i}`,
        `    expect: ["status == 200", "latency < 500ms", "body.status == 'ok'"]`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A bare script reading the named sections' files (snapshot and journal) of a JSON store, as
 * `storeRead` reads them all; the core's snapshot is `imos.json` (docs/CONTRACT.md).
 */
function bareSectionRead(stateDir: string, sections: string[]): string {
  return `import fs from 'node:fs'; import path from 'node:path'; const d = ${JSON.stringify(stateDir)}; const wanted = ${JSON.stringify(sections)};
    for (const f of fs.readdirSync(d)) { const m = /^imos(?:\\.([a-z]+))?\\.(json|jsonl)$/.exec(f); if (!m || !wanted.includes(m[1] ?? 'core')) continue; const t = fs.readFileSync(path.join(d, f), 'utf8');
      if (m[2] === 'json') JSON.parse(t); else for (const l of t.split('\\n')) if (l) JSON.parse(l); }`;
}

/**
 * Every check's history filled to its cap (the default `defaults.history`: runs after the one
 * stored) and its uptime counts at their bound (25 hours, 29 days), in the JSON store the commands read.
 */
async function fillToSteadyState(storeFile: string): Promise<void> {
  const store = await openStore(storeFile);
  try {
    const now = Date.now();
    const laterRuns = defaultsSchema.parse({}).history - 1;
    const ids = Array.from({ length: CHECKS }, (_, i) => (i % 20 === 7 ? `cmd-${i}` : `api-${i}`));
    for (let from = 0; from < CHECKS; from += 1_000) {
      const batch = ids.slice(from, from + 1_000);
      const history: Record<string, HistoryPoint[]> = {};
      for (const [n, id] of batch.entries()) {
        history[id] = Array.from({ length: laterRuns }, (_, k) => ({ at: new Date(now + (k + 1) * 600_000).toISOString(), status: 'ok', value: (n + k) % 400, durationMs: (n + k) % 400 }));
      }
      await seedStore(store, { history });
      await store.transact('results', (tx) => {
        // Every 10 min, passing: 6 runs an hour.
        for (const checkId of batch) for (const record of uptimeAtBound(checkId, now, 6, true)) tx.put('uptime', record);
      });
    }
  } finally {
    await store.close();
  }
}

/**
 * Runs each command `RUNS` times, interleaved (a noisy machine hits them all alike); wall times.
 * `before[name]`, when given, runs ahead of each run of that command (not timed).
 */
function timeCommands(commands: Record<string, string[]>, before: Record<string, () => void> = {}): Record<string, Figures> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      before[name]?.();
      const started = performance.now();
      const run = spawnSync(argv[0]!, argv.slice(1), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: undefined } });
      samples[name]!.push(performance.now() - started);
      // 0, 1 or 2: ok, HIGH or CRITICAL (a check slower than its 500 ms expectation on a busy machine).
      if (run.status === null || run.status > 2) throw new Error(`${argv.join(' ')} exited ${run.status}: ${run.stderr.toString().slice(0, 400)}`);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, figures(v)]));
}

if (process.argv[2] === '--targets') await serveTargets(Number(process.argv[3]));
else await main();

async function main(): Promise<void> {
  // The checks' target runs in a child process: this one waits in spawnSync while commands run.
  const targets = await startTargets(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-config-'));
  try {
    const file = path.join(dir, 'imos.yaml');
    fs.writeFileSync(file, configText(targets.ports[0]!));
    fs.mkdirSync(path.join(dir, 'state'));
    const node = process.execPath;
    const cli = (...args: string[]) => [node, bin, ...args, '--config', file];
    // The same configuration beside it (the same store), a comment added before each run: every
    // run is the first after an edit, which parses the file (the others read back the parse kept
    // from the last run, src/config/parse-cache.ts).
    const edited = path.join(dir, 'edited.yaml');
    let edits = 0;
    const edit = () => fs.writeFileSync(edited, `${configText(targets.ports[0]!)}# edit ${++edits}\n`);

    // The store as a poller leaves it: every check run once (also a figure of its own).
    const all = performance.now();
    const filled = spawnSync(node, [bin, 'check', '--json', '--config', file], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: undefined } });
    // Checks may fail on a busy machine (latency < 500ms): exit 1 or 2. What matters is that every
    // result was stored; a store that refused says so on stderr.
    const fillErr = filled.stderr.toString();
    if (filled.status === null || filled.status > 2 || /not stored|not all results/.test(fillErr)) {
      throw new Error(`imos check exited ${filled.status}: ${fillErr.split('\n').filter((l) => /stored/.test(l)).join('\n').slice(0, 600) || fillErr.slice(0, 400)}`);
    }
    figure({ name: `imos check: all ${CHECKS.toLocaleString('en')} checks once`, unit: 's', value: (performance.now() - all) / 1000 });

    // Bare scripts: the floors. Run from the project folder so that they find its node_modules.
    const yamlParse = `import fs from 'node:fs'; import YAML from 'yaml'; YAML.parse(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));`;
    const jsYamlParse = `import fs from 'node:fs'; import jsyaml from 'js-yaml'; jsyaml.load(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));`;
    const storeRead = `import fs from 'node:fs'; import path from 'node:path'; const d = ${JSON.stringify(path.join(dir, 'state'))};
      for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (!fs.statSync(p).isFile()) continue; const t = fs.readFileSync(p, 'utf8');
        if (f.endsWith('.json')) JSON.parse(t); else if (f.endsWith('.jsonl')) for (const l of t.split('\\n')) if (l) JSON.parse(l); }`;
    // What running one http check must do in a fresh process: load Node's fetch, make the request,
    // and keep the result durably (a line appended and fsynced).
    const checkRun = `const r = await fetch(${JSON.stringify(`http://127.0.0.1:${targets.ports[0]}/ok/4242`)}); const body = await r.text();
      const fs = await import('node:fs'); const fd = fs.openSync(${JSON.stringify(path.join(dir, 'bare-run.jsonl'))}, 'a');
      fs.writeSync(fd, JSON.stringify({ id: 'api-4242', status: r.status, body }) + '\\n'); fs.fsyncSync(fd); fs.closeSync(fd); process.exit(0);`;
    const hasJsYaml = fs.existsSync(path.join(root, 'node_modules/js-yaml'));
    const t = timeCommands({
      node: [node, '-e', '0'],
      version: [node, bin, '--version'],
      yaml: [node, '--input-type=module', '-e', yamlParse],
      ...(hasJsYaml ? { jsyaml: [node, '--input-type=module', '-e', jsYamlParse] } : {}),
      store: [node, '--input-type=module', '-e', storeRead],
      run: [node, '--input-type=module', '-e', checkRun],
      validate: cli('validate'),
      status: cli('status'),
      statusJson: cli('status', '--json'),
      only: cli('check', '--only', 'api-4242', '--json'),
      validateEdited: [node, bin, 'validate', '--config', edited],
      statusEdited: [node, bin, 'status', '--config', edited],
    }, { validateEdited: edit, statusEdited: edit });
    const floor = t.node!;
    report('node -e 0 (floor)', floor);
    report('imos --version (start-up of any command)', t.version!, floor, 'node -e 0');
    report('bare YAML parse, yaml (node + parse)', t.yaml!, floor, 'node -e 0');
    if (t.jsyaml) report('bare YAML parse, js-yaml (node + parse)', t.jsyaml, floor, 'node -e 0');
    report('bare store read (node + read + JSON.parse)', t.store!, floor, 'node -e 0');
    report('bare check run (node + fetch + an fsynced line)', t.run!, floor, 'node -e 0');
    const parseWork = Math.min(t.yaml!.p50, t.jsyaml?.p50 ?? Infinity) - floor.p50;
    const storeWork = t.store!.p50 - floor.p50;
    figure({ name: 'work: parse the YAML', unit: 'ms', value: parseWork });
    const runWork = t.run!.p50 - floor.p50;
    figure({ name: 'work: read the store files', unit: 'ms', value: storeWork });
    figure({ name: 'work: run one http check and keep its result', unit: 'ms', value: runWork });

    // Where the time of a load goes, in this process (warm: after the runs above; best of 3).
    const text = fs.readFileSync(file, 'utf8');
    const best = (fn: () => unknown) => Math.min(...[0, 1, 2].map(() => {
      const started = performance.now();
      fn();
      return performance.now() - started;
    }));
    const parseMs = best(() => readYamlFast(text));
    const raw = readYamlFast(text);
    const expanded = expandEnv(raw, process.env, () => {}) as { checks: unknown[] };
    const schemaMs = best(() => configSchema().safeParse(expanded));
    const source = new SourceMap(file, text);
    const validateMs = best(() => validateChecks(expanded.checks, source, []));
    let loaded = loadConfigFile(file);
    const loadMs = best(() => (loaded = loadConfigFile(file)));
    const restMs = Math.max(0, loadMs - parseMs - schemaMs - validateMs);
    figure({
      name: `config load in-process (${loaded.checks.length} checks), warm`,
      unit: 'ms',
      value: loadMs,
      note: `YAML ${parseMs.toFixed(0)} ms, the file's schema ${schemaMs.toFixed(0)} ms, each check's schema (common and kind keys, once) ${validateMs.toFixed(0)} ms, conditions, references and the rest ${restMs.toFixed(0)} ms`,
    });
    const startupMs = t.version!.p50 - floor.p50;

    /** `f` against 2.5 × its block's `node -e 0` (`base`) + `work`, measured in that block too. */
    const judge = (label: string, f: Figures, work: number, what: string, own: string, base: Figures = floor) => {
      const limit = 2.5 * base.p50 + work;
      report(label, f, base, 'node -e 0');
      target(
        `${label} within 2.5 × node -e 0 + ${what}`,
        f.p50,
        limit,
        'ms',
        `${f.p50.toFixed(0)} ms (${(f.p50 / base.p50).toFixed(1)} × node -e 0) against ${(2.5 * base.p50).toFixed(0)} ms (2.5 × node -e 0) + ${work.toFixed(0)} ms of ${what}; ` +
          `start-up of any command takes ${startupMs.toFixed(0)} ms over node -e 0 (loading the bundled code), ` +
          `the configuration ${loadMs.toFixed(0)} ms warm in-process when parsed (YAML ${parseMs.toFixed(0)} ms, the file's schema ${schemaMs.toFixed(0)} ms, ` +
          `each check's schema ${validateMs.toFixed(0)} ms, conditions, references and the rest ${restMs.toFixed(0)} ms)${own}, plus garbage collection and a cold process's slower first runs (all code runs unoptimised at first). ` +
          `Where the rest goes and what would lower it: README, Performance: "Configuration at scale"`,
      );
      return limit;
    };
    /** A run that parses the file (the first after an edit): its figure beside the limit of the runs that read the parse back. */
    const afterEdit = (label: string, f: Figures, limit: number) => {
      report(label, f, floor, 'node -e 0');
      figure({ name: `${label}: against the limit above`, unit: '×', value: f.p50 / limit, note: `${f.p50.toFixed(0)} ms against ${limit.toFixed(0)} ms` });
    };
    const validateLimit = judge(`imos validate (${CHECKS.toLocaleString('en')} checks)`, t.validate!, parseWork, 'parsing', '');
    afterEdit(`imos validate, first run after an edit`, t.validateEdited!, validateLimit);
    const statusLimit = judge(`imos status (${CHECKS.toLocaleString('en')} checks)`, t.status!, parseWork + storeWork, 'parsing and reading the store', '; the store freezes every record it reads (records it wrote itself are not checked again), and the table has 10,000 rows');
    afterEdit(`imos status, first run after an edit`, t.statusEdited!, statusLimit);
    judge(`imos status --json (${CHECKS.toLocaleString('en')} checks)`, t.statusJson!, parseWork + storeWork, 'parsing and reading the store', '; the store freezes every record it reads (records it wrote itself are not checked again), and the report is 10,000 checks of JSON');
    judge(`imos check --only ID (${CHECKS.toLocaleString('en')} checks)`, t.only!, parseWork + storeWork + runWork, 'parsing, reading the store and running the check', '; the run also takes and hands back the poller lease, and its result is stored in two sections (fsynced changes) and turned into alerts');

    // The same store at its steady state, as after a month of polling: every check's history at its
    // 60 points and its uptime counts at their bound. Each command's floor now reads only the
    // sections it reads: the core, the results and the lease, for status and check --only alike
    // (check --only appends its history point without reading the history section: 600,000
    // points, whose bare read is reported beside it, what the command read before). Every floor
    // is measured again in this block, interleaved with the commands: a machine slower or faster
    // than in the first block moves them alike.
    await fillToSteadyState(path.join(dir, 'state/imos.json'));
    const steady = timeCommands({
      node: [node, '-e', '0'],
      parse: hasJsYaml ? [node, '--input-type=module', '-e', jsYamlParse] : [node, '--input-type=module', '-e', yamlParse],
      run: [node, '--input-type=module', '-e', checkRun],
      statusRead: [node, '--input-type=module', '-e', bareSectionRead(path.join(dir, 'state'), ['core', 'results', 'lease'])],
      onlyRead: [node, '--input-type=module', '-e', bareSectionRead(path.join(dir, 'state'), ['core', 'results', 'lease', 'history'])],
      status: cli('status'),
      only: cli('check', '--only', 'api-4242', '--json'),
    });
    report('steady state: bare read of core, results, lease', steady.statusRead!, steady.node!, 'node -e 0');
    report('steady state: bare read of core, results, lease, history', steady.onlyRead!, steady.node!, 'node -e 0');
    const steadyStatusWork = steady.statusRead!.p50 - steady.node!.p50;
    const steadyOnlyWork = steady.onlyRead!.p50 - steady.node!.p50;
    const steadyParseWork = steady.parse!.p50 - steady.node!.p50;
    const steadyRunWork = steady.run!.p50 - steady.node!.p50;
    judge(`imos status, steady state (${CHECKS.toLocaleString('en')} checks)`, steady.status!, steadyParseWork + steadyStatusWork, 'parsing and reading its sections', '; every history full and a month of uptime counts in the store', steady.node!);
    judge(`imos check --only ID, steady state (${CHECKS.toLocaleString('en')} checks)`, steady.only!, steadyParseWork + steadyStatusWork + steadyRunWork, 'parsing, reading its sections and running the check', `; every history full (appended to without reading it: the bare read of the history section too takes ${(steadyOnlyWork - steadyStatusWork).toFixed(0)} ms more) and a month of uptime counts`, steady.node!);
  } finally {
    targets.stop();
    fs.rmSync(dir, { recursive: true, force: true });
}
}
