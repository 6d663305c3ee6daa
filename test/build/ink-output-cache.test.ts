// The bundle's changes to Ink's output (scripts/ink-output-cache.mjs): they apply to the Ink the
// bundle carries, and a sequence of frames comes out exactly as Ink without them draws it — rows
// that stay, rows that change, colours, wide characters, clipped and wrapped text, borders.
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
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
import { EventEmitter } from 'node:events';
import { Box, Text, render, renderToString } from 'ink';
const h = React.createElement;

/** A header whose clock shows the given second: a new text for Ink every second. */
function header(second) {
  const clock = new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString().slice(11, 19);
  return h(Box, { width: 160, justifyContent: 'space-between' },
    h(Text, { wrap: 'truncate-end' }, h(Text, { color: 'cyan', bold: true }, 'hotel-integration'), h(Text, null, ' · suno')),
    h(Text, { wrap: 'truncate-end' }, h(Text, { color: 'gray' }, 'poller daemon suno@host pid 1234 · last poll 12:00:01 · '), h(Text, null, clock)));
}

/** A console-like session drawing its header at each of \`seconds\` distinct seconds, from \`from\` on. */
export async function tickClock(from, seconds) {
  const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns: 160, rows: 48, write: () => true });
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  const app = render(header(from), { stdout, stdin, patchConsole: false, exitOnCtrlC: false, incrementalRendering: true, maxFps: 1e6 });
  for (let s = from + 1; s < from + seconds; s++) {
    app.rerender(header(s));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  app.unmount();
}
export function draw(frame) {
  const rows = frame.rows.map(([text, color, inverse], i) => h(Text, { key: i, color, inverse, wrap: 'truncate-end' }, text));
  const children = [h(Box, { key: 'rows', flexDirection: 'column' }, ...rows)];
  if (frame.clipped !== undefined) children.push(h(Box, { key: 'clip', width: 12, height: 3, borderStyle: 'single', overflow: 'hidden' }, h(Text, null, frame.clipped)));
  if (frame.wrapped !== undefined) children.push(h(Text, { key: 'wrap', color: 'green' }, frame.wrapped));
  return renderToString(h(Box, { flexDirection: 'column', width: frame.columns }, ...children), { columns: frame.columns });
}
`;

/** The entry bundled as imos bundles the console, with or without the output cache. */
interface Bundled {
  draw: (frame: Frame) => string;
  tickClock: (from: number, seconds: number) => Promise<void>;
  source: string;
}

async function bundle(name: string, withCache: boolean): Promise<Bundled> {
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
  return { ...((await import(pathToFileURL(outfile).href)) as Omit<Bundled, 'source'>), source: readFileSync(outfile, 'utf8') };
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

  it('a clock ticking for hours leaves the bundled Ink holding what is on screen, not every text it drew', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const patched = await bundle('clock', true);
    await patched.tickClock(0, 2_000); // fills every cache to its bound
    const filled = heap();
    await patched.tickClock(2_000, 4_000);
    const grown = heap() - filled;
    // Each second's header line takes some 10 KB as styled characters: kept, 4,000 of them would be
    // 40 MB. Bounded, the caches hold as much after 6,000 seconds as after 2,000 (give or take
    // one generation of a few megabytes).
    expect(grown).toBeLessThan(8 * 2 ** 20);
  });
});
