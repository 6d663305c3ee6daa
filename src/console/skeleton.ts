// The console's first frame, drawn before Ink and the configuration have loaded (Ink's start-up
// alone costs several times a bare `node` start): the header with the project's name and the
// panes' frames in the layout the terminal's size gives, each saying "loading…". The full console
// replaces it a moment later. It costs no import beyond the layout arithmetic.
import { closeSync, openSync, readSync } from 'node:fs';
import { calculateLayout } from '../../views/layout.js';
import { sanitizeLine } from '../text/sanitize.js';

const ENTER = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const LEAVE = '\u001b[?25h\u001b[?1049l';
/**
 * The panes' number keys and titles, as the pane registry (views/panes/registry.ts) has them: the
 * registry holds the panes' components, and loading it would load React and Ink before this frame.
 * The skeleton's test keeps the two equal.
 */
export const PANE_TITLES = ['1 Overview', '2 Systems', '3 Timeline', '4 Alert center'];

/**
 * The `project:` of a configuration file, read without a YAML parser (best effort: a quoted or
 * plain scalar on one line; anything else, or a value built from the environment, gives null).
 */
export function projectNameOf(configFile: string): string | null {
  let text: string;
  try {
    // The first 64 KiB: `project:` sits near the top, and a huge file must not delay the frame.
    const fd = openSync(configFile, 'r');
    try {
      const head = Buffer.alloc(64 * 1024);
      text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const match = /^project:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(text);
  const value = match ? (match[1] ?? match[2] ?? match[3] ?? '').trim() : '';
  return value && !value.includes('${') ? sanitizeLine(value, 60) : null;
}

function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, Math.max(0, width)) : text + ' '.repeat(width - text.length);
}

function box(title: string, width: number, height: number, focused: boolean): string[] {
  const [tl, tr, bl, br, h, v] = focused ? ['╔', '╗', '╚', '╝', '═', '║'] : ['┌', '┐', '└', '┘', '─', '│'];
  const inner = width - 2;
  const lines = [tl + h.repeat(inner) + tr, v + fit(title, inner) + v, v + fit('loading…', inner) + v];
  while (lines.length < height - 1) lines.push(v + ' '.repeat(inner) + v);
  lines.push(bl + h.repeat(inner) + br);
  return lines.slice(0, height);
}

/** The skeleton frame for a terminal of `columns` × `rows` (lines, without colour). */
export function skeletonFrame(project: string, columns: number, rows: number): string[] {
  const layout = calculateLayout(columns, rows, PANE_TITLES.length);
  const status = 'starting…';
  const header = fit(`imos · ${project}`, Math.max(0, columns - status.length)) + status;
  if (layout.kind === 'too-small') return [fit(header, columns)];
  const lines = [header.slice(0, columns)];
  if (layout.kind === 'grid') {
    // Two panes to a row, the first one focused.
    for (let i = 0; i < PANE_TITLES.length; i += 2) {
      const left = box(PANE_TITLES[i]!, layout.paneWidth, layout.paneHeight, i === 0);
      const right = i + 1 < PANE_TITLES.length ? box(PANE_TITLES[i + 1]!, layout.paneWidth, layout.paneHeight, false) : [];
      left.forEach((line, j) => lines.push(line + (right[j] ?? '')));
    }
  } else {
    lines.push(' ' + PANE_TITLES.join('  '));
    lines.push(...box(PANE_TITLES[0]!, layout.paneWidth, layout.paneHeight, true));
  }
  return lines.slice(0, layout.height);
}

export interface Skeleton {
  /** Give the terminal back (when the console fails before its own screen takes over). */
  leave(): void;
}

/** Enter the alternate screen and draw the skeleton; the console's own screen takes over from it. */
export function drawSkeleton(stdout: NodeJS.WriteStream, project: string): Skeleton {
  const lines = skeletonFrame(project, stdout.columns || 80, stdout.rows || 24);
  stdout.write(ENTER + lines.join('\r\n'));
  let left = false;
  return {
    leave() {
      if (left) return;
      left = true;
      stdout.write(LEAVE);
    },
  };
}
