// The bundle's changes to Ink's output (scripts/ink-output-cache.mjs): they apply to the Ink the
// bundle carries, and a sequence of frames comes out exactly as Ink without them draws it — rows
// that stay, rows that change, colours, wide characters, clipped and wrapped text, borders.
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript build options, without declarations
import { bundleOptions as untypedOptions } from '../../scripts/bundle-options.mjs';
import { inkOutputCache } from '../../scripts/ink-output-cache.mjs';

const bundleOptions = untypedOptions as BuildOptions & { plugins: Plugin[] };
const dir = mkdtempSync(join(tmpdir(), 'imos-ink-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A frame: rows of [text, colour, inverse], in a box of some width, some of it clipped.
type Row = readonly [text: string, color?: string, inverse?: boolean];
interface Frame {
  columns: number;
  rows: readonly Row[];
  /** A bordered box, narrower than the text, that hides what overflows. */
  clipped?: string;
  /** A text wider than the screen, wrapped. */
  wrapped?: string;
}

const ENTRY = `
import React from 'react';
import { Box, Text, renderToString } from 'ink';
const h = React.createElement;
export function draw(frame) {
  const rows = frame.rows.map(([text, color, inverse], i) => h(Text, { key: i, color, inverse, wrap: 'truncate-end' }, text));
  const children = [h(Box, { key: 'rows', flexDirection: 'column' }, ...rows)];
  if (frame.clipped !== undefined) children.push(h(Box, { key: 'clip', width: 12, height: 3, borderStyle: 'single', overflow: 'hidden' }, h(Text, null, frame.clipped)));
  if (frame.wrapped !== undefined) children.push(h(Text, { key: 'wrap', color: 'green' }, frame.wrapped));
  return renderToString(h(Box, { flexDirection: 'column', width: frame.columns }, ...children), { columns: frame.columns });
}
`;

/** The entry bundled as imos bundles the console, with or without the output cache. */
async function bundle(name: string, withCache: boolean): Promise<{ draw: (frame: Frame) => string; source: string }> {
  const entry = join(dir, `${name}-entry.mjs`);
  writeFileSync(entry, ENTRY);
  const outfile = join(dir, `${name}.mjs`);
  await build({
    ...bundleOptions,
    minify: false,
    entryPoints: [entry],
    outfile,
    plugins: bundleOptions.plugins.filter((p) => withCache || p !== inkOutputCache),
    nodePaths: [join(process.cwd(), 'node_modules')],
    logLevel: 'silent',
  });
  return { ...((await import(pathToFileURL(outfile).href)) as { draw: (frame: Frame) => string }), source: readFileSync(outfile, 'utf8') };
}

const rows = (selected: number, extra = ''): Row[] => [
  ['Active 3  by age', 'cyan'],
  ['✖ CRITICAL A1    pms     check 0 failing — status 503 after 12 ms   4m  open', 'red', selected === 0],
  ['⚠ HIGH     A2    crs     check 1 failing · timeout' + extra, 'yellow', selected === 1],
  ['✓ MEDIUM   A3    日本語  ok 😀 wide characters', undefined, selected === 2],
  ['plain row with nothing on it'],
];

const FRAMES: Frame[] = [
  { columns: 60, rows: rows(0), clipped: 'a line longer than the box\nsecond line that is long too', wrapped: 'a wrapped line '.repeat(8) },
  // The selection moves: two rows change, the others stay.
  { columns: 60, rows: rows(1), clipped: 'a line longer than the box\nsecond line that is long too', wrapped: 'a wrapped line '.repeat(8) },
  // Back: every row as in the first frame.
  { columns: 60, rows: rows(0), clipped: 'a line longer than the box\nsecond line that is long too', wrapped: 'a wrapped line '.repeat(8) },
  // One row's text changes at its end; the clipped box's text changes.
  { columns: 60, rows: rows(0, ' (2)'), clipped: 'another text\n日本語 in a box', wrapped: 'a wrapped line '.repeat(8) },
  // Fewer rows: the rows below are blank again.
  { columns: 60, rows: rows(2).slice(0, 2) },
  // Another width: no row of the narrower screen is taken for one of the wider.
  { columns: 40, rows: rows(2) },
  { columns: 60, rows: rows(2), wrapped: 'another wrapped text '.repeat(5) },
  { columns: 60, rows: [] },
  { columns: 60, rows: rows(0), clipped: 'a line longer than the box\nsecond line that is long too', wrapped: 'a wrapped line '.repeat(8) },
];

describe('ink output cache', () => {
  it('the bundled Ink reuses its work across frames and draws every frame as Ink without it does', async () => {
    const before = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '3'; // colours on, as in a terminal: both bundles read it as they load
    try {
      const patched = await bundle('patched', true);
      const plain = await bundle('plain', false);
      expect(patched.source).toContain('imosRowText');
      expect(patched.source).toContain('output.caches.getWidestLine(text)');
      expect(plain.source).not.toContain('imosRowText');
      const drawn: string[] = [];
      for (const frame of [...FRAMES, ...FRAMES]) {
        const expected = plain.draw(frame);
        expect(patched.draw(frame)).toBe(expected);
        drawn.push(expected);
      }
      // The frames are what they say: coloured, with the wide characters, and different from each other.
      expect(drawn[0]).toContain('\u001b[');
      expect(drawn[0]).toContain('日本語');
      expect(drawn[1]).not.toBe(drawn[0]);
      expect(drawn[2]).toBe(drawn[0]);
      expect(drawn[3]).toContain('(2)');
    } finally {
      if (before === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = before;
    }
  });
});
