// Layout arithmetic, pure: which arrangement fits a terminal of columns × rows, and how many list
// rows each pane can show (lists render only that many rows).

/** Below this the console shows "terminal too small". */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
/** Rows outside the panes: header, status line, footer of key hints. */
const CHROME_ROWS = 3;
/** A pane's border (2) and title (1). */
const PANE_FRAME_ROWS = 3;
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
