// Layout arithmetic, pure: which arrangement fits a terminal of columns × rows, and how many list
// rows each pane can show (lists render only that many rows).

/** Below this the console shows "terminal too small". */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
/** Rows outside the panes: header, status line, footer of key hints. */
const CHROME_ROWS = 3;
/** A pane's border (2) and title (1). */
export const PANE_FRAME_ROWS = 3;
/** The fewest rows a pane is drawn with in the grid: its frame and three rows of content. */
export const GRID_MIN_PANE_ROWS = PANE_FRAME_ROWS + 3;
/** From this width on the panes form a grid, two to a row, when each can have this many rows. */
export const GRID_COLUMNS = 120;
const GRID_PANE_ROWS = 14;
/** The terminal rows the grid of the four standard panes needs. */
export const GRID_ROWS = 1 + CHROME_ROWS + 2 * GRID_PANE_ROWS;

export type Layout =
  | { kind: 'too-small'; columns: number; rows: number; need: { columns: number; rows: number } }
  | {
      kind: 'grid' | 'single';
      columns: number;
      rows: number;
      /** The root's height: one row shorter than the terminal (Ink repaints the whole screen otherwise). */
      height: number;
      /** Rows for the panes area (the tab strip is inside it in single mode). */
      bodyHeight: number;
      paneWidth: number;
      paneHeight: number;
      /** Rows a pane's list may use (inside its border and title). */
      listRows: number;
      /** Columns inside a pane's border. */
      innerWidth: number;
    };

/** The arrangement of `paneCount` panes (views/panes/registry.ts) in a terminal of columns × rows. */
export function calculateLayout(columns: number, rows: number, paneCount = 4): Layout {
  const cols = Math.max(0, Math.floor(columns || 0));
  const rws = Math.max(0, Math.floor(rows || 0));
  if (cols < MIN_COLUMNS || rws < MIN_ROWS) {
    return { kind: 'too-small', columns: cols, rows: rws, need: { columns: MIN_COLUMNS, rows: MIN_ROWS } };
  }
  const height = rws - 1;
  const bodyHeight = height - CHROME_ROWS;
  const gridRows = Math.max(1, Math.ceil(paneCount / 2));
  if (cols >= GRID_COLUMNS && Math.floor(bodyHeight / gridRows) >= GRID_PANE_ROWS) {
    const paneWidth = Math.floor(cols / 2);
    const paneHeight = Math.floor(bodyHeight / gridRows);
    return {
      kind: 'grid',
      columns: cols,
      rows: rws,
      height,
      bodyHeight,
      paneWidth,
      paneHeight,
      listRows: Math.max(1, paneHeight - PANE_FRAME_ROWS),
      innerWidth: paneWidth - 2,
    };
  }
  // One pane at a time, with a tab strip (one row) above it.
  const paneHeight = bodyHeight - 1;
  return {
    kind: 'single',
    columns: cols,
    rows: rws,
    height,
    bodyHeight,
    paneWidth: cols,
    paneHeight,
    listRows: Math.max(1, paneHeight - PANE_FRAME_ROWS),
    innerWidth: cols - 2,
  };
}

/** The window of a long list to render so that `selected` stays visible. */
export function visibleWindow(total: number, selected: number, size: number, previousStart = 0): { start: number; end: number } {
  if (total <= size) return { start: 0, end: total };
  let start = Math.min(Math.max(0, previousStart), total - size);
  if (selected < start) start = selected;
  else if (selected >= start + size) start = selected - size + 1;
  return { start, end: Math.min(total, start + size) };
}

/**
 * The part of a list of `total` rows drawn in `rows` rows, keeping `selected` in view. When not
 * everything fits, the last row says where the window is ("6–15 of 40 · +25 more ↓"), so every
 * row a pane counts is one it can be seen to scroll to.
 */
export function listWindow(total: number, selected: number, rows: number, previousStart = 0): { start: number; end: number; position: string | null } {
  const room = Math.max(1, rows);
  if (total <= room) return { start: 0, end: total, position: null };
  const at = Math.max(0, Math.min(selected, total - 1));
  // One row has no room for where it is: it shows the selected row (its title gives the count).
  if (room === 1) return { ...visibleWindow(total, at, 1, previousStart), position: null };
  const { start, end } = visibleWindow(total, at, room - 1, previousStart);
  return { start, end, position: positionText(start, end, total) };
}

/** "6–15 of 40 · ↑5 · +25 more ↓": the rows shown of a longer list, and how many lie either side. */
export function positionText(start: number, end: number, total: number): string {
  const parts = [`${start + 1}–${end} of ${total}`];
  if (start > 0) parts.push(`↑${start}`);
  if (end < total) parts.push(`+${total - end} more ↓`);
  return parts.join(' · ');
}

/** What a part of the screen needs: at least `min` rows, and all of `want` when there is room. */
export interface RowNeed {
  min: number;
  want: number;
}

/**
 * Share `total` rows among parts in order of priority: each gets its minimum (the last ones give
 * up theirs first when even that does not fit), then the first part gets up to what it wants,
 * then the next, and so on. Rows nobody wants are left over.
 */
export function shareByPriority(total: number, parts: readonly RowNeed[]): number[] {
  const out = parts.map((p) => Math.max(0, p.min));
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let i = out.length - 1; i >= 0 && left < 0; i--) {
    const give = Math.min(out[i]!, -left);
    out[i]! -= give;
    left += give;
  }
  for (let i = 0; i < out.length && left > 0; i++) {
    const more = Math.min(left, Math.max(0, parts[i]!.want - out[i]!));
    out[i]! += more;
    left -= more;
  }
  return out;
}

/**
 * Share `total` rows fairly among parts stacked in one column: a part that wants less than an
 * equal share gets what it wants and the rest is shared among the others (an empty timeline
 * leaves its room to the pane below or above it). Rows nobody wants are shared equally, so the
 * parts always fill the column.
 */
export function shareByNeed(total: number, parts: readonly RowNeed[], floor = 1): number[] {
  const n = parts.length;
  if (n === 0) return [];
  const wants = parts.map((p) => Math.max(floor, p.min, p.want));
  const out = new Array<number>(n).fill(0);
  const open = new Set(wants.keys());
  let left = total;
  // Water-filling: settle the parts that want less than an equal share of what is left.
  for (;;) {
    const share = Math.floor(left / Math.max(1, open.size));
    const settled = [...open].filter((i) => wants[i]! <= share);
    if (settled.length === 0) break;
    for (const i of settled) {
      out[i] = wants[i]!;
      left -= wants[i]!;
      open.delete(i);
    }
    if (open.size === 0) break;
  }
  // Those that want more share the rest; then whatever is left over goes round one row at a time.
  const rest = [...open];
  for (const i of rest) out[i] = Math.max(floor, Math.floor(left / rest.length));
  let spare = total - out.reduce((a, b) => a + b, 0);
  const order = rest.length > 0 ? rest : [...wants.keys()];
  for (let k = 0; spare > 0; k++, spare--) out[order[k % order.length]!]! += 1;
  return out;
}

/** Where a pane is drawn: its outer width and height, frame included. */
export interface PaneBox {
  width: number;
  height: number;
}

/**
 * Each pane's box, in registry order. One pane at a time: the pane under the tab strip. In the
 * grid, the registry's panes alternate between two columns (1 and 3 on the left, 2 and 4 on the
 * right) and each column is shared by need (`wants`: the rows of content each pane can use). A
 * zoomed pane has the whole body to itself.
 */
export function paneBoxes(layout: Exclude<Layout, { kind: 'too-small' }>, wants: readonly (number | null)[], focused: number, zoomed: boolean): PaneBox[] {
  const count = wants.length;
  if (zoomed) return wants.map((_, i) => (i === focused ? { width: layout.columns, height: layout.bodyHeight } : { width: 0, height: 0 }));
  if (layout.kind === 'single') return wants.map(() => ({ width: layout.paneWidth, height: layout.paneHeight }));
  const boxes: PaneBox[] = new Array(count);
  for (const column of [0, 1]) {
    const members = [...wants.keys()].filter((i) => i % 2 === column);
    if (members.length === 0) continue;
    // A pane that does not say what it needs asks for an equal share.
    const equal = Math.floor(layout.bodyHeight / members.length);
    const heights = shareByNeed(
      layout.bodyHeight,
      members.map((i) => ({ min: GRID_MIN_PANE_ROWS, want: wants[i] === null ? equal : wants[i]! + PANE_FRAME_ROWS })),
      GRID_MIN_PANE_ROWS,
    );
    members.forEach((i, k) => (boxes[i] = { width: column === 0 ? layout.paneWidth : layout.columns - layout.paneWidth, height: heights[k]! }));
  }
  return boxes;
}

/**
 * The lines of a text view (a detail open in full) shown from `scroll` in `rows` rows: when the
 * text does not fit, the last row says where it is, and `max` is the last useful first line.
 */
export function scrollWindow(total: number, scroll: number, rows: number): { start: number; end: number; max: number; position: string | null } {
  const room = Math.max(1, rows);
  if (total <= room) return { start: 0, end: total, max: 0, position: null };
  const visible = Math.max(1, room - 1);
  const max = total - visible;
  const start = Math.max(0, Math.min(scroll, max));
  const end = start + visible;
  return { start, end, max, position: positionText(start, end, total) };
}
