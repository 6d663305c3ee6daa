// An esbuild plugin for the bundled console: Ink 6.8 redoes for every frame work whose answer it
// had at the last one, and at 160×48 with the young generation kept small (src/heap.ts) the
// garbage it makes is what a key press waits for. Each change gives the text Ink wrote:
// - Output's caches (each line's styled characters, text widths) are shared across frames; Ink
//   builds a new Output, with empty caches, for every frame. The cached values are never mutated.
// - Each text node's width is looked up in those caches: Ink measured it again with string-width
//   at every frame, which for a line with colours and one character beyond ASCII (a status glyph,
//   a dash) strips the colours and segments the line into graphemes, an object each: about 40 %
//   of a key press's garbage.
// - The screen's grid starts from one shared blank cell instead of a new object per cell, a line
//   of one-cell characters is copied into it without measuring each character (known per cached
//   line), and a row whose cells are the very cells of the row drawn at the same place last frame
//   (unchanged text gives the same cached cells) gives the same text without being turned into
//   text again.
// - Every cache keeps what was used lately, within a bound: a text seen once (the header's clock
//   makes one every second) is dropped once newer ones have filled the cache, and what is still on
//   screen stays. Ink's own caches of text sizes and wrapped texts kept every text ever drawn, and
//   the styled characters of a line take about 100 bytes a cell: a console whose clock ticks held
//   some 70 MB more an hour.
// If Ink's source changes shape, the build fails here rather than silently losing a change.
import { readFile } from 'node:fs/promises';

/** Cells of styled characters kept (each generation): two screens of 160×48 (a frame of the console draws about 240 lines). */
const CELLS = 16_000;
/** Texts whose width, size or wrapping is kept (each generation). */
const TEXTS = 1_000;

/**
 * A cache of what was used lately, Map-like: new entries go to the newer generation; when that
 * holds its limit (entries, or cells as weighed), it becomes the older one and the older one is
 * dropped. An entry found in the older generation moves to the newer: what every frame uses stays.
 */
const RECENT = `
class ImosRecent {
  constructor(limit, weigh) {
    this.limit = limit;
    this.weigh = weigh;
    this.newer = new Map();
    this.older = new Map();
    this.weight = 0;
  }
  get(key) {
    let value = this.newer.get(key);
    if (value !== undefined) return value;
    value = this.older.get(key);
    if (value !== undefined) {
      this.older.delete(key);
      this.set(key, value);
    }
    return value;
  }
  set(key, value) {
    const weight = this.weigh(value);
    if (this.weight + weight > this.limit && this.newer.size > 0) {
      this.older = this.newer;
      this.newer = new Map();
      this.weight = 0;
    }
    this.weight += weight;
    this.newer.set(key, value);
    return this;
  }
}
`;

/** Replaces `from` with `to` in `source`, or fails the build naming the file. */
function replaceOnce(source, from, to, file) {
  if (!source.includes(from)) throw new Error(`ink-output-cache: ${file} no longer has the expected shape; review the plugin`);
  return source.replace(from, to);
}

const BLANK_ROW = `            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }`;

const ROWS_TO_TEXT = `        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`;

const SHARED = `${RECENT}
const imosSharedCaches = new OutputCaches();
imosSharedCaches.widths = new ImosRecent(${TEXTS}, () => 1);
imosSharedCaches.blockWidths = new ImosRecent(${TEXTS}, () => 1);
imosSharedCaches.styledChars = new ImosRecent(${CELLS}, (characters) => Math.max(1, characters.length));
/** Every cell nothing was written to: never mutated, as the cached cells are not. */
const imosBlank = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
/** Cached lines whose every character takes one cell (or none, drawn in one as Ink draws it). */
const imosNarrowLines = new WeakMap();
function imosNarrow(caches, characters) {
  let narrow = imosNarrowLines.get(characters);
  if (narrow === undefined) {
    narrow = characters.every((character) => caches.getStringWidth(character.value) <= 1);
    imosNarrowLines.set(characters, narrow);
  }
  return narrow;
}
/** The last frame's rows by position: their cells and the text they gave. */
const imosLastRows = [];
function imosRowText(line, y) {
  const last = imosLastRows[y];
  if (last !== undefined && last.cells.length === line.length) {
    let same = true;
    for (let x = 0; x < line.length; x++) {
      if (last.cells[x] !== line[x]) { same = false; break; }
    }
    if (same) return last.text;
  }
  // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
  const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();
  imosLastRows[y] = { cells: line, text };
  return text;
}
export default class Output {`;

const COPY_LINE = `                    const characters = this.caches.getStyledChars(line);
                    let offsetX = x;
                    for (const character of characters) {`;

function patchOutput(source, file) {
  let contents = replaceOnce(source, 'export default class Output {', SHARED, file);
  contents = replaceOnce(contents, '    caches = new OutputCaches();', '    caches = imosSharedCaches;', file);
  contents = replaceOnce(contents, BLANK_ROW, '            const row = new Array(this.width).fill(imosBlank);', file);
  contents = replaceOnce(
    contents,
    COPY_LINE,
    `                    const characters = this.caches.getStyledChars(line);
                    let offsetX = x;
                    if (imosNarrow(this.caches, characters)) {
                        for (let i = 0; i < characters.length; i++) currentLine[offsetX + i] = characters[i];
                        offsetY++;
                        continue;
                    }
                    for (const character of characters) {`,
    file,
  );
  contents = replaceOnce(contents, ROWS_TO_TEXT, "        const generatedOutput = output.map(imosRowText).join('\\n');", file);
  return contents;
}

function patchMeasureText(source, file) {
  return replaceOnce(source, 'const cache = new Map();', `${RECENT}\nconst cache = new ImosRecent(${TEXTS}, () => 1);`, file);
}

function patchWrapText(source, file) {
  let contents = replaceOnce(source, 'const cache = {};', `${RECENT}\nconst cache = new ImosRecent(${TEXTS}, () => 1);`, file);
  contents = replaceOnce(contents, 'const cachedText = cache[cacheKey];', 'const cachedText = cache.get(cacheKey);', file);
  return replaceOnce(contents, 'cache[cacheKey] = wrappedText;', 'cache.set(cacheKey, wrappedText);', file);
}

function patchSanitizeAnsi(source, file) {
  const contents = replaceOnce(source, 'export default sanitizeAnsi;', `${RECENT}
const imosSanitized = new ImosRecent(${4 * TEXTS}, () => 1);
/** A text with colours, sanitised once while it stays in use (each text node and its spans are, at every frame). */
function imosSanitizeAnsi(text) {
  if (!hasAnsiControlCharacters(text)) return text;
  let sanitized = imosSanitized.get(text);
  if (sanitized === undefined) {
    sanitized = sanitizeAnsi(text);
    imosSanitized.set(text, sanitized);
  }
  return sanitized;
}
export default imosSanitizeAnsi;`, file);
  return contents;
}

function patchRenderNode(source, file) {
  return replaceOnce(source, '                const currentWidth = widestLine(text);', '                const currentWidth = output.caches.getWidestLine(text);', file);
}

export const inkOutputCache = {
  name: 'ink-output-cache',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => ({
      contents: patchOutput(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]measure-text\.js$/ }, async (args) => ({
      contents: patchMeasureText(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]wrap-text\.js$/ }, async (args) => ({
      contents: patchWrapText(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]sanitize-ansi\.js$/ }, async (args) => ({
      contents: patchSanitizeAnsi(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/ }, async (args) => ({
      contents: patchRenderNode(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
  },
};
