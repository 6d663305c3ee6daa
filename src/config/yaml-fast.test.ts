import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readYamlFast } from './yaml-fast.js';
import { CPU_BOUND_MS } from '../../test/helpers/bounds.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the reference parser makes of a text, or 'invalid'. */
function reference(text: string): unknown {
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return 'invalid';
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return 'invalid';
  }
}

let readFast = 0;

/** The fast reader either declines or reads exactly what the reference reads. */
function agrees(text: string): boolean {
  const fast = readYamlFast(text);
  if (fast === undefined) return true;
  readFast++;
  expect(fast, text).toEqual(reference(text));
  return true;
}

describe('readYamlFast', () => {
  it('reads the example workspace exactly as the yaml library does', () => {
    const text = fs.readFileSync(path.join(root, 'data/example/imos.yaml'), 'utf8');
    expect(readYamlFast(text)).not.toBeUndefined();
    agrees(text);
  });

  it('resolves scalars as the YAML 1.2 core schema does (not as YAML 1.1)', () => {
    const text = [
      'a: 010', 'b: 0o17', 'c: 0x1F', 'd: +1', 'e: 1_000', 'f: 0b11', 'g: .5', 'h: 1.', 'i: 1e3', 'j: -.Inf', 'k: .NaN',
      'l: ~', 'm:', 'n: Null', 'o: nULL', 'p: True', 'q: yes', 'r: on', 's: 2024-01-01', 't: 12:30', 'u: "010"', 'v: NaN',
    ].join('\n');
    const values = readYamlFast(text) as Record<string, unknown>;
    expect(values).toEqual(reference(text));
    expect(values).toMatchObject({ a: 10, b: 15, c: 31, d: 1, e: '1_000', f: '0b11', g: 0.5, h: 1, i: 1000, j: -Infinity, l: null, m: null, n: null });
    expect(values).toMatchObject({ o: 'nULL', p: true, q: 'yes', r: 'on', s: '2024-01-01', t: '12:30', u: '010', v: 'NaN' });
    expect(Number.isNaN(values.k)).toBe(true);
  });

  it('declines what it would read differently, and every mistake', () => {
    for (const text of [
      'a: &x 1\nb: *x', // aliases
      '? [1]\n: 2', // a complex key
      '[1]: 2',
      '{a: 1}: 2',
      'null: c', // a null key
      '~: d',
      'a: !foo x', // tags
      'a: !!float 1',
      'a: 1\n---\nb: 2', // two documents
      'a: 1\na: 2', // a duplicate key
      'a: [b, , c]',
      'a: @x',
      '',
    ]) {
      expect(readYamlFast(text), text).toBeUndefined();
    }
  });

  it('agrees with the yaml library on generated documents', () => {
    readFast = 0;
    const scalars = fc.constantFrom(
      '0', '010', '0o7', '0x1f', '0xG', '+12', '-3', '1_000', '.5', '1.', '-1.5e3', '1e', '.inf', '-.INF', '.nan', 'NaN', '~', 'null', 'Null',
      'NULL', 'nuLL', 'true', 'False', 'TRUE', 'yes', 'no', 'on', '2024-01-01', '12:30', 'x y', 'a#b', '"q"', "'it''s'", '"a\\tb"', '"${VAR}"',
      '"-"', 'http://x:1/y?z=1', '"[1]"', "'*x'", '"&y"', '"!t"', '"null"', '""', "''", '|\n    block\n', '>-\n    folded\n    text\n',
    );
    const keys = fc.constantFrom('a', 'b', 'id', 'url', 'run', '1', 'true', '"null"', '"k: v"', 'with space', '0x10', "'q'");
    const leaf = scalars.map((s) => ({ text: s, flow: !s.startsWith('|') && !s.startsWith('>') }));
    type Node = { text: string; flow: boolean };
    const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }).map((items) =>
          items.every((i) => i.flow) && items.length < 4
            ? { text: `[${items.map((i) => i.text).join(', ')}]`, flow: true }
            : { text: items.length === 0 ? '[]' : `\n${items.map((i) => `- ${indent(i.text)}`).join('\n')}`, flow: false },
        ),
        fc.uniqueArray(fc.tuple(keys, tie('node')), { maxLength: 4, selector: ([k]) => k }).map((pairs) =>
          pairs.every(([, v]) => v.flow) && pairs.length < 3
            ? { text: `{${pairs.map(([k, v]) => `${k}: ${v.text}`).join(', ')}}`, flow: true }
            : { text: pairs.length === 0 ? '{}' : `\n${pairs.map(([k, v]) => `${k}: ${indent(v.text)}`).join('\n')}`, flow: false },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(keys, node), { minLength: 1, maxLength: 5, selector: ([k]) => k }), (pairs) =>
        agrees(pairs.map(([k, v]) => `${k}: ${indent(v.text)}`).join('\n') + '\n'),
      ),
      { numRuns: 500 },
    );
    expect(readFast).toBeGreaterThan(150); // many documents were read by the fast path, not declined
  }, CPU_BOUND_MS);
});

/** Indent a nested block under its key or dash. */
function indent(text: string): string {
  return text.replace(/\n/g, '\n  ');
}
