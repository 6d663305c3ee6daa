// The bundle's shortcuts in Ink's text output (scripts/ink-style-runs.mjs): they apply to the
// library Ink loads, and lines come out exactly as the library writes them without them, the
// first time and again, and when a row is put together from parts of lines.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import { inkStyleRuns } from '../../scripts/ink-style-runs.mjs';

const dir = mkdtempSync(join(tmpdir(), 'imos-style-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESC = '\u001b[';
const LINES = [
  'plain text only',
  '',
  `${ESC}1mbold run${ESC}22m then plain`,
  `${ESC}31mred ${ESC}1mred bold${ESC}22m red${ESC}39m plain ${ESC}2mdim${ESC}1m dim+bold${ESC}22m end`,
  `${ESC}7m inverse selection row with a long run of one style ${ESC}27m`,
  `${ESC}38;5;208morange${ESC}39m ${ESC}48;2;10;20;30mtruecolor background${ESC}49m ${ESC}4munder${ESC}24m`,
  `${ESC}32m✔${ESC}39m CRITICAL 日本語 wide ${ESC}90mmuted${ESC}39m`,
  `${ESC}1m${ESC}31mnested${ESC}39m still bold${ESC}0m reset`,
];

describe('ink style runs', () => {
  it('the bundled library skips the style diff inside a run, and writes every line as the library does', async () => {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, "export { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';\n");
    const outfile = join(dir, 'patched.mjs');
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', plugins: [inkStyleRuns], nodePaths: [join(process.cwd(), 'node_modules')], logLevel: 'silent', write: true });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(outfile, 'utf8')).toContain('imosSameStyle');
    const patched = (await import(pathToFileURL(outfile).href)) as typeof import('@alcalzone/ansi-tokenize');
    // Each line twice from the same characters (the second time from the codes kept for its
    // styles, as Ink draws a cached line again), and rows put together from parts of two lines.
    const chars = LINES.map((line) => patched.styledCharsFromTokens(patched.tokenize(line)));
    for (let round = 0; round < 2; round++) {
      LINES.forEach((line, i) => {
        const expected = styledCharsToString(styledCharsFromTokens(tokenize(line)));
        expect(patched.styledCharsToString(chars[i]!)).toBe(expected);
      });
    }
    for (let a = 0; a < LINES.length; a++) {
      for (let b = 0; b < LINES.length; b++) {
        const plainRow = [...styledCharsFromTokens(tokenize(LINES[a]!)).slice(0, 9), ...styledCharsFromTokens(tokenize(LINES[b]!)).slice(3)];
        const patchedRow = [...chars[a]!.slice(0, 9), ...chars[b]!.slice(3)];
        expect(patched.styledCharsToString(patchedRow)).toBe(styledCharsToString(plainRow));
      }
    }
  });
});
