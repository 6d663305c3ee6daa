// An esbuild plugin for the bundled console: Ink 6.8 redoes for every frame work whose answer it
// had at the last one, and at 160×48 with the young generation kept small (src/heap.ts) the
// garbage it makes is what a key press waits for. Three changes, each giving the text Ink wrote:
// - Output's caches (each line's styled characters, text widths) are shared across frames,
//   bounded in size; Ink builds a new Output, with empty caches, for every frame. The cached
//   values are never mutated by Ink.
// - Each text node's width is looked up in those caches: Ink measured it again with string-width
//   at every frame, which for a line with colours and one character beyond ASCII (a status glyph,
//   a dash) strips the colours and segments the line into graphemes, an object each: about 40 %
//   of a key press's garbage.
// - The screen's grid starts from one shared blank cell instead of a new object per cell, a line
//   of one-cell characters is copied into it without measuring each character (known per cached
//   line), and a row whose cells are the very cells of the row drawn at the same place last frame
//   (unchanged text gives the same cached cells) gives the same text without being turned into
//   text again.
// If Ink's source changes shape, the build fails here rather than silently losing a change.
import { readFile } from 'node:fs/promises';

const LIMIT = 20_000;

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

const SHARED = `
const imosSharedCaches = new OutputCaches();
function imosOutputCaches() {
  for (const map of [imosSharedCaches.widths, imosSharedCaches.blockWidths, imosSharedCaches.styledChars]) {
    if (map.size > ${LIMIT}) map.clear();
  }
  return imosSharedCaches;
}
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
  contents = replaceOnce(contents, '    caches = new OutputCaches();', '    caches = imosOutputCaches();', file);
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
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/ }, async (args) => ({
      contents: patchRenderNode(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
  },
};
