// An esbuild plugin for the bundled console: Ink 6.8 turns every line of every frame back into text
// with @alcalzone/ansi-tokenize 0.2, which works out the style change between each character and
// the next with three Sets and several arrays, even inside a run of one style: at 160×48 that is
// tens of thousands of short-lived objects a frame, most of the console's garbage while it follows
// a busy store. Within a run the change is empty, so it is skipped when the two styles are equal
// (the same check the library itself makes from 0.3.2, which Ink 6.8 does not take). The text
// written is the same. If the library's source changes shape, the build fails here rather than
// silently losing the shortcut.
import { readFile } from 'node:fs/promises';

const MARK = `        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;

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
export function styledCharsToString(chars) {`;

export const inkStyleRuns = {
  name: 'ink-style-runs',
  setup(build) {
    build.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(MARK) || !source.includes('export function styledCharsToString(chars) {')) {
        // 0.3.2 and later make the same check: nothing to do.
        if (source.includes('isSameStyle(')) return { contents: source, loader: 'js' };
        throw new Error(`ink-style-runs: ${args.path} no longer has the expected shape; review the plugin`);
      }
      const contents = source
        .replace('export function styledCharsToString(chars) {', SAME_STYLE)
        .replace(
          MARK,
          `        else if (!imosSameStyle(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`,
        );
      return { contents, loader: 'js' };
    });
  },
};
