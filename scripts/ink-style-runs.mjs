// An esbuild plugin for the bundled console: Ink 6.8 turns every line of every frame back into text
// with @alcalzone/ansi-tokenize 0.2, which works out the style change between each character and
// the next with three Sets and several arrays, even inside a run of one style: at 160×48 that is
// tens of thousands of short-lived objects a frame, most of the console's garbage while it follows
// a busy store. Three changes, each writing the same text:
// - Within a run the change is empty, so it is skipped when the two styles are equal (the same
//   check the library itself makes from 0.3.2, which Ink 6.8 does not take).
// - The characters of a run share one list of styles instead of a copy each. A list is never
//   changed once made (a style change makes a new one), so the check above is one of identity
//   within a run, and Ink's cached lines (ink-output-cache.mjs) hold one list a run.
// - The codes that open a line's first style, change one style to the next and close the last are
//   worked out once per pair of lists, and kept as long as the lists are: a line drawn again
//   (Ink keeps the characters of the lines it drew lately) costs no Sets at all.
// If the library's source changes shape, the build fails here rather than silently losing a change.
import { readFile } from 'node:fs/promises';

const MARK = `        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;

const FIRST = `        if (i === 0) {
            ret += ansiCodesToString(char.styles);
        }`;

const LAST = `            ret += ansiCodesToString(diffAnsiCodes(char.styles, []));`;

const COPIED_STYLES = `            ret.push({
                ...token,
                styles: [...codes],
            });`;

const SAME_STYLE = `
/** Whether two reduced style lists are equal: the diff between them is empty. */
function imosSameStyle(from, to) {
    if (from === to) return true;
    if (from.length !== to.length) return false;
    for (let i = 0; i < from.length; i++) {
        if (from[i].code !== to[i].code || from[i].endCode !== to[i].endCode) return false;
    }
    return true;
}
const imosOpenings = new WeakMap();
const imosClosings = new WeakMap();
const imosChanges = new WeakMap();
/** The codes that open a style list, as the library writes them at a line's start. */
function imosOpening(styles) {
    let codes = imosOpenings.get(styles);
    if (codes === undefined) {
        codes = ansiCodesToString(styles);
        imosOpenings.set(styles, codes);
    }
    return codes;
}
/** The codes that end a style list, as the library writes them at a line's end. */
function imosClosing(styles) {
    let codes = imosClosings.get(styles);
    if (codes === undefined) {
        codes = ansiCodesToString(diffAnsiCodes(styles, []));
        imosClosings.set(styles, codes);
    }
    return codes;
}
/** The codes from one style list to the next. */
function imosChange(from, to) {
    let byTarget = imosChanges.get(from);
    if (byTarget === undefined) {
        byTarget = new WeakMap();
        imosChanges.set(from, byTarget);
    }
    let codes = byTarget.get(to);
    if (codes === undefined) {
        codes = ansiCodesToString(diffAnsiCodes(from, to));
        byTarget.set(to, codes);
    }
    return codes;
}
export function styledCharsToString(chars) {`;

/** Replaces `from` with `to` in `source`, or fails the build naming the file. */
function replaceOnce(source, from, to, file) {
  if (!source.includes(from)) throw new Error(`ink-style-runs: ${file} no longer has the expected shape; review the plugin`);
  return source.replace(from, to);
}

export const inkStyleRuns = {
  name: 'ink-style-runs',
  setup(build) {
    build.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/ }, async (args) => {
      const file = args.path;
      let contents = await readFile(file, 'utf8');
      contents = replaceOnce(contents, 'export function styledCharsToString(chars) {', SAME_STYLE, file);
      contents = replaceOnce(
        contents,
        MARK,
        `        else if (!imosSameStyle(chars[i - 1].styles, char.styles)) {
            ret += imosChange(chars[i - 1].styles, char.styles);
        }`,
        file,
      );
      contents = replaceOnce(
        contents,
        FIRST,
        `        if (i === 0) {
            ret += imosOpening(char.styles);
        }`,
        file,
      );
      contents = replaceOnce(contents, LAST, '            ret += imosClosing(char.styles);', file);
      contents = replaceOnce(
        contents,
        COPIED_STYLES,
        `            ret.push({
                ...token,
                styles: codes,
            });`,
        file,
      );
      return { contents, loader: 'js' };
    });
  },
};
