// The console's first frame as lines of styled text, pure: the same header, panes (at the sizes the
// console gives them), status line and footer that Ink draws first (views/App.tsx), built from the
// same view model and the panes' own line builders. It is drawn before Ink and React have loaded
// (src/console/first-frame.ts), which take several times a bare `node` start to load.
import type { ImosConfig } from '../src/config/types.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { displayWidth } from '../src/text/width.js';
import { footerText, headerLine, paneTitleLine, tabStripLine } from './chrome.js';
import { activeKeymap } from './keymap.js';
import { calculateLayout, paneBoxes, PANE_FRAME_ROWS, type Layout, type PaneBox } from './layout.js';
import type { ConsoleData } from './model/data.js';
import { clockTime } from './model/format.js';
import { createViewModel, type ViewModel } from './model/view-model.js';
import type { ColorToken, Theme } from './palette.js';
import type { PlainPane } from './panes/pane.js';
import { PLAIN_PANES } from './panes/registry.js';
import { colored, lineText, plain, spanStyle, truncateLine, type Line, type Span } from './styled.js';
import { fit } from './text.js';
import { initialUIState, type UIState } from './ui-state.js';

export interface FrameInput {
  config: ImosConfig;
  /** The store's first read. */
  data: ConsoleData;
  actor: string;
  readonly: boolean;
  wallboard: boolean;
  theme: Theme;
  columns: number;
  rows: number;
  nowMs: number;
  /** The status line's banner (the demo's clock), when there is one. */
  banner?: string | null;
  /** Store trouble to show in the header. */
  storeError?: string | null;
  /** Default: the registry's (views/panes/registry.ts). */
  panes?: readonly PlainPane[];
}

/** The frame's lines, one per row of the console (one row fewer than the terminal, as Ink's). */
export function firstFrame(input: FrameInput): Line[] {
  const panes = input.panes ?? PLAIN_PANES;
  const layout = calculateLayout(input.columns, input.rows, panes.length);
  if (layout.kind === 'too-small') {
    const width = Math.max(1, layout.columns);
    return [[plain(`terminal too small (need ${layout.need.columns}×${layout.need.rows})`)], [plain(`now ${layout.columns}×${layout.rows} · q quits`)]].map((l) => truncateLine(l, width));
  }
  const ui = initialUIState(panes[0]!.id);
  const vm = createViewModel()(input.config, input.data, { filters: ui.filters, sorts: ui.sorts, detailSystem: null, alertDetail: null }, input.nowMs);
  const keymap = activeKeymap(input.readonly, panes.length);
  const width = layout.columns;
  const { left, right } = headerLine({ config: input.config, vm, actor: input.actor, readonly: input.readonly, wallboard: input.wallboard, storeError: input.storeError ?? null }, width);
  const lines: Line[] = [spread(left, [...right, plain(clockTime(input.nowMs, input.config.timezone, true))], width)];
  lines.push(...body(layout, panes, { vm, ui, config: input.config }, input.theme));
  lines.push(input.banner ? [colored('muted', fit(sanitizeLine(input.banner, 500), width))] : []);
  lines.push(truncateLine([colored('muted', footerText(ui, keymap, input.wallboard, panes, width))], width));
  return lines;
}

type Arranged = Exclude<Layout, { kind: 'too-small' }>;
interface PaneInputs {
  vm: ViewModel;
  ui: UIState;
  config: ImosConfig;
}

/** The panes: two columns of them in the grid, or the tab strip and the focused one. */
function body(layout: Arranged, panes: readonly PlainPane[], input: PaneInputs, theme: Theme): Line[] {
  const focused = Math.max(0, panes.findIndex((p) => p.id === input.ui.pane));
  const wants = panes.map((p, i) => (layout.kind === 'grid' && p.rowsWanted ? p.rowsWanted({ ...input, focused: i === focused }, Math.max(0, layout.paneWidth - 2)) : null));
  const boxes = paneBoxes(layout, wants, focused, false);
  const drawn = (i: number) => paneLines(panes[i]!, i, boxes[i]!, input, i === focused, theme);
  if (layout.kind === 'single') return [truncateLine(tabStripLine(panes, input.ui.pane, input.vm), layout.columns), ...drawn(focused)];
  // The registry's panes alternate between the two columns; each column is as tall as the body.
  const columns = [0, 1].map((column) => panes.flatMap((_, i) => (i % 2 === column ? drawn(i) : [])));
  const out: Line[] = [];
  for (let row = 0; row < layout.bodyHeight; row++) {
    out.push([...(columns[0]![row] ?? [plain(' '.repeat(layout.paneWidth))]), ...(columns[1]![row] ?? [])]);
  }
  return out;
}

const BORDERS = { single: ['┌', '┐', '└', '┘', '─', '│'], double: ['╔', '╗', '╚', '╝', '═', '║'] } as const;

/** A pane in its frame (views/components/Pane.tsx): border, title line, then its lines. */
function paneLines(pane: PlainPane, index: number, box: PaneBox, input: PaneInputs, focused: boolean, theme: Theme): Line[] {
  const inner = Math.max(0, box.width - 2);
  const rows = Math.max(1, box.height - PANE_FRAME_ROWS);
  const [tl, tr, bl, br, h, v] = BORDERS[focused ? 'double' : 'single'];
  const border = (text: string): Span => colored(focused ? 'accent' : 'muted', text);
  const title = paneTitleLine(pane.title, index + 1, focused, inner, theme, pane.summary?.(input.vm) ?? '');
  const content = pane.text({ ...pane.model({ ...input, focused }), width: inner, rows }).lines;
  const inside = (line: Line): Line => [border(v), ...padLine(truncateLine(line, inner), inner), border(v)];
  const out: Line[] = [[border(tl + h.repeat(inner) + tr)], inside(spread([title.left], [title.right], inner))];
  for (let i = 0; i < box.height - 3; i++) out.push(inside(content[i] ?? []));
  out.push([border(bl + h.repeat(inner) + br)]);
  return out.slice(0, box.height);
}

/** Left and right parts with the room between them (Ink's justifyContent="space-between"). */
function spread(left: Line, right: Line, width: number): Line {
  const gap = width - displayWidth(lineText(left)) - displayWidth(lineText(right));
  return truncateLine([...left, plain(' '.repeat(Math.max(0, gap))), ...right], width);
}

function padLine(line: Line, width: number): Line {
  const room = width - displayWidth(lineText(line));
  return room > 0 ? [...line, plain(' '.repeat(room))] : line;
}

/** The frame as plain text, one string per row, without trailing spaces (as Ink writes its rows). */
export function frameText(lines: readonly Line[]): string[] {
  return lines.map((l) => lineText(l).trimEnd());
}

// Ink's colours (chalk at 256 colours): the palette's names, and the orange of `high`.
const SGR_COLOR: Record<string, string> = { green: '32', yellow: '33', red: '31', gray: '90', cyan: '36', '#ff8700': '38;5;208' };

/** One row with its colours as terminal escapes, under the palette (monochrome: no colour). */
export function ansiLine(line: Line, theme: Theme): string {
  let out = '';
  for (const span of line) {
    if (!span.text) continue;
    const style = spanStyle(span, theme);
    const codes = [style.color ? SGR_COLOR[style.color] : undefined, style.bold ? '1' : undefined, style.inverse ? '7' : undefined].filter(Boolean);
    out += codes.length ? `\u001b[${codes.join(';')}m${span.text}\u001b[0m` : span.text;
  }
  return out;
}

