// The fault suite, hostile input: what people and monitored systems hand imos is never trusted.
// - fast-check over the configuration loader, conditions, thresholds, the matrix parser and the
//   store loader: thousands of inputs each; each is accepted or refused with a clear error (its
//   own error class, naming the file), never a crash; a refused store file is left untouched.
// - terminal controls (ANSI / OSC / bidi / C1) and invalid UTF-8 from targets, commands, database
//   errors, standups and matrix cells reach no terminal, report or /api/* answer;
// - forged, stale, replayed (across a restart), oversized and malformed Slack requests refused;
// - recognisable secrets set in the environment found nowhere: store files, logs, reports, API
//   answers, the screen.
// Each part prints its counts.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseCondition, ConditionError } from '../../src/conditions/index.js';
import { httpCheck } from '../../checks/http.js';
import { parseMatrix } from '../../src/plan/matrix-parse.js';
import { parseSnapshot } from '../../src/store/journal.js';
import { JsonStore } from '../../src/store/json-store.js';
import { SECTION_NAMES, StoreError } from '../../src/store/types.js';

const counts: Record<string, number> = {};
const count = (what: string, n = 1) => (counts[what] = (counts[what] ?? 0) + n);
afterAll(() => {
  console.log(`hostile input — ${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(' · ')}`);
});

const FILE = '/virtual/imos.yaml';
const SEED = Number(process.env.IMOS_FAULT_SEED ?? Date.now() % 1_000_000);
const runs = (n: number) => ({ numRuns: n, seed: SEED, endOnFailure: true });

/** A value a YAML file could hold: scalars of every kind, lists, mappings (keys that look real too). */
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('30s', '0s', '-1m', '1e400', '${NOPE}', 'status == 200', '\u001b[2J', 'http://127.0.0.1:9/', 'CRITICAL'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('id', 'system', 'kind', 'url', 'every', 'expect', 'thresholds', 'run', 'name')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const validConfig = () => ({
  project: 'Fuzz',
  timezone: 'UTC',
  people: { ann: { name: 'Ann', slack: 'U1' } },
  systems: { core: { name: 'Core', leader: 'ann' } },
  checks: [{ id: 'api', system: 'core', kind: 'http', url: 'http://127.0.0.1:9/', expect: ['status == 200'], thresholds: { HIGH: 'latency > 500ms' } }],
  store: './data/imos.json',
});

/** A clear refusal: a ConfigError whose every line names the file. */
function clearConfigOutcome(text: string): void {
  try {
    loadConfigText(text, FILE, { env: {} });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${String((error as Error)?.stack ?? error)}`);
    expect(error.issues.length).toBeGreaterThan(0);
    for (const line of error.message.split('\n').filter((l) => /^\S/.test(l))) expect(line.startsWith(FILE)).toBe(true);
    count('config refused');
  }
}

describe('fast-check: every parser accepts or refuses clearly, never crashes', () => {
  it('the configuration loader (text, YAML of any shape, a valid configuration with any field replaced)', () => {
    let n = 0;
    const mutated = fc
      .tuple(fc.constantFrom('project', 'timezone', 'people', 'systems', 'checks', 'store', 'defaults', 'severities', 'channels', 'server', 'maintenance', 'phases', 'plan', 'retention'), yamlValue)
      .map(([key, value]) => ({ ...validConfig(), [key]: value }));
    const mutatedCheck = fc
      .tuple(fc.constantFrom('id', 'system', 'kind', 'url', 'every', 'timeout', 'expect', 'thresholds', 'severity', 'headers', 'method', 'body'), yamlValue)
      .map(([key, value]) => ({ ...validConfig(), checks: [{ ...validConfig().checks[0], [key]: value }] }));
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      yamlValue.map((v) => YAML.stringify(v)),
      mutated.map((v) => YAML.stringify(v)),
      mutatedCheck.map((v) => YAML.stringify(v)),
    );
    fc.assert(
      fc.property(text, (t) => {
        n++;
        clearConfigOutcome(t);
      }),
      runs(2000),
    );
    count('config inputs', n);
  });

  it('conditions', () => {
    let n = 0;
    const token = fc.constantFrom('status', 'latency', 'body', 'body.items.length', 'size', '==', '!=', '<', '<=', '>', '>=', '500ms', '1e3', '-0', '80%', "'ok'", '"x"', 'true', 'null', ' ', '.', '(', '\u001b', '5m3', 'NaN');
    const source = fc.oneof(fc.string({ maxLength: 60 }), fc.array(token, { maxLength: 6 }).map((t) => t.join(' ')), fc.array(token, { maxLength: 6 }).map((t) => t.join('')));
    fc.assert(
      fc.property(source, (s) => {
        n++;
        try {
          parseCondition(s, httpCheck.metrics);
        } catch (error) {
          if (!(error instanceof ConditionError)) throw error;
          expect(error.column).toBeGreaterThanOrEqual(1);
          count('conditions refused');
        }
      }),
      runs(5000),
    );
    count('condition inputs', n);
  });

  it('thresholds (any severities, any conditions, in a configuration)', () => {
    let n = 0;
    const condition = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('latency > 500ms', 'status >= 500', 'size < 0', 'body.x == 1'));
    const thresholds = fc.dictionary(fc.oneof(fc.constantFrom('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'critical'), fc.string({ maxLength: 6 })), fc.oneof(condition, fc.array(condition, { maxLength: 3 }), yamlValue), { maxKeys: 4 });
    fc.assert(
      fc.property(thresholds, (t) => {
        n++;
        clearConfigOutcome(YAML.stringify({ ...validConfig(), checks: [{ ...validConfig().checks[0], thresholds: t }] }));
      }),
      runs(2000),
    );
    count('threshold inputs', n);
  });

  it('the matrix parser', () => {
    let n = 0;
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('Table', 'System', 'Status', 'Task', 'ID', 'Depends on', 'Phase', 'Start', 'End', 'done', '🔄 in progress', 'blocked', '2026-02-30', 'T1', '|', '\\|', '`a|b`', '-'));
    const row = fc.array(cell, { minLength: 1, maxLength: 6 }).map((cells) => `| ${cells.join(' | ')} |`);
    const table = fc.tuple(row, fc.array(row, { maxLength: 6 })).map(([header, rows]) => [header, '|---|---|---|', ...rows].join('\n'));
    const text = fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.oneof(table, fc.string({ maxLength: 40 })), { maxLength: 4 }).map((parts) => parts.join('\n\n')));
    fc.assert(
      fc.property(text, (t) => {
        n++;
        const result = parseMatrix(t, 'matrix.md');
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          count('matrices refused');
        }
      }),
      runs(3000),
    );
    count('matrix inputs', n);
  });

  it('the store loader (snapshots of any shape; whole stores of random files, left untouched)', async () => {
    let n = 0;
    const section = fc.constantFrom(...SECTION_NAMES);
    const snapshot = fc.oneof(
      fc.string({ maxLength: 200 }),
      yamlValue.map((v) => JSON.stringify(v) ?? ''),
      fc.record({ version: fc.oneof(fc.constant(2), yamlValue), section: fc.oneof(section, yamlValue), seq: yamlValue, alerts: fc.oneof(fc.array(yamlValue, { maxLength: 3 }), yamlValue), kv: fc.array(yamlValue, { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(section, snapshot, (name, text) => {
        n++;
        try {
          parseSnapshot(name, text, '/virtual/imos.json');
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          expect(error.message).toContain('/virtual/imos.json');
          count('snapshots refused');
        }
      }),
      runs(3000),
    );
    count('snapshot inputs', n);

    // Whole stores: random bytes or shapes in the snapshot, a journal and the audit log.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-fuzz-store-'));
    let stores = 0;
    try {
      const bytes = fc.oneof(snapshot.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)));
      const journal = fc.array(fc.oneof(bytes, yamlValue.map((v) => Buffer.from(JSON.stringify(v) ?? ''))), { maxLength: 4 }).map((lines) => Buffer.from(lines.map((l) => l.toString('latin1')).join('\n'), 'latin1'));
      await fc.assert(
        fc.asyncProperty(bytes, journal, journal, async (core, coreJournal, audit) => {
          stores++;
          const at = fs.mkdtempSync(path.join(dir, 's-'));
          const files = { 'imos.json': core, 'imos.core.jsonl': coreJournal, 'imos.audit.jsonl': audit };
          for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(at, name), data);
          const store = new JsonStore(path.join(at, 'imos.json'));
          try {
            for (const name of SECTION_NAMES) await store.read(name);
            await store.readAudit();
          } catch (error) {
            if (!(error instanceof StoreError)) throw error;
            expect(error.message).toMatch(new RegExp(at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
            count('stores refused');
          } finally {
            await store.close();
          }
          // Read, refused or not: nothing was rewritten.
          for (const [name, data] of Object.entries(files)) expect(fs.readFileSync(path.join(at, name)).equals(data), `${name} left untouched`).toBe(true);
          fs.rmSync(at, { recursive: true, force: true });
        }),
        runs(300),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    count('store inputs', stores);
  });
});
