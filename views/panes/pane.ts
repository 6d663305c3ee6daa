// What a pane is to the rest of the console: one entry per pane, read by the tab strip, the
// layout, the key router (Tab order, number keys, key scopes, Enter / Esc) and the help. A pane's
// lines module exports its pure entry (definePlainPane), its component module the entry with the
// component (definePane); views/panes/registry.ts lists each pane once, by both.
import type { ComponentType } from 'react';
import type { ImosConfig } from '../../src/config/types.js';
import type { KeyScope } from '../keymap.js';
import type { ViewModel } from '../model/view-model.js';
import type { FrontList, RouterContext, UIState } from '../ui-state.js';
import type { Line } from '../styled.js';

/** The room a pane's content has: columns inside its border, rows under its title. */
export interface PaneSize {
  width: number;
  rows: number;
}

/** What a pane picks its rows from. */
export interface PaneInput {
  vm: ViewModel;
  ui: UIState;
  config: ImosConfig;
  /** It has the focus (its selection is drawn). */
  focused: boolean;
}

/** The parts of an entry the key router reads (pure functions over the UI state). */
export interface PaneRoute {
  id: string;
  /** Key scopes while it has the focus, most specific first ('global' always applies after them). */
  scopes(ui: UIState): readonly KeyScope[];
  /** Enter: open a detail view of the selected row; null when there is nothing to open. */
  open?(state: UIState, ctx: RouterContext): UIState | null;
  /** Esc: close its detail view; null when none is open (Esc then clears the filter). */
  close?(state: UIState): UIState | null;
  /** Move the selection of its open detail view; null when none is open (the list moves). */
  move?(state: UIState, step: number, ctx: RouterContext): UIState | null;
  /** Rows of the list in front (its own, or frontList's), for j/k and PgUp/PgDn (none: nothing to move in). */
  listLength?(vm: ViewModel, ui: UIState): number;
  /**
   * The list in front when it is not the pane's own (the open system's checks, the recent
   * actions): `/` filters it, j/k and g/G move in it. None or null: the pane's own list.
   */
  frontList?(ui: UIState): FrontList | null;
  /** `]` / `[`: bring its next (step 1) or previous (step -1) list to the front; null when it has one list. */
  nextList?(state: UIState, step: number): UIState | null;
  /** The columns its list can be sorted by, the default first (o cycles them, O reverses). */
  sorts?: readonly string[];
}

export interface PaneSpec<Rows extends object = object> extends PaneRoute {
  title: string;
  /** Help section titles of the key scopes that are its own. */
  scopeTitles?: Readonly<Record<string, string>>;
  /**
   * The rows it draws, picked from the view model. Keep their identities: the component is
   * memoised on them, so a key press redraws only the pane it changes.
   */
  model(input: PaneInput): Rows;
  component: ComponentType<Rows & PaneSize>;
  /**
   * The rows of content it can use at this width: in the grid, a pane that needs fewer rows than
   * its share leaves them to the other pane of its column. None: it takes an equal share.
   */
  rowsWanted?(input: PaneInput, width: number): number;
  /** The last first line of its detail text open in full, at this size (j/k, PgDn, G stop there). */
  scrollMax?(input: PaneInput, size: PaneSize): number;
  /** The right end of its title line ("4 systems"). */
  summary?(vm: ViewModel): string;
  /** After its title in the tab strip ("(4)"). */
  badge?(vm: ViewModel): string;
}

/** A pane's text, pure: its lines, and the first row of its list shown (it keeps that row in view). */
export interface PaneText {
  lines: Line[];
  start: number;
  /** The first rows shown of its other lists, by list id (the alert center's recent actions). */
  starts?: Readonly<Record<string, number>>;
}

/**
 * A pane without its component: what it draws as lines (views/styled.ts), pure. The component draws
 * these lines with Ink, and the first frame drawn before Ink loads (views/frame.ts) draws them as
 * text; views/panes/registry.ts lists them. Its views opened from a row (a detail) are the
 * component's own: the first frame never has one open.
 */
export interface PlainPane<Rows extends object = object> extends Omit<PaneSpec<Rows>, 'component' | 'scrollMax'> {
  /**
   * Its lines at this size; `previousStart`: the first list row shown last time, `previousStarts`
   * those of its other lists (PaneText.starts).
   */
  text(rows: Rows & PaneSize, previousStart?: number, previousStarts?: Readonly<Record<string, number>>): PaneText;
}

/** An entry, type-checked against its own component's props. */
export function definePane<Rows extends object>(spec: PaneSpec<Rows>): PaneSpec {
  return spec as unknown as PaneSpec;
}

/** A pure entry, type-checked against its own lines' input. */
export function definePlainPane<Rows extends object>(spec: PlainPane<Rows>): PlainPane<Rows> {
  return spec;
}

/** The number key of the pane at `index` in the registry: 1–9, then none. */
export function paneKey(index: number): string | null {
  return index >= 0 && index < 9 ? String(index + 1) : null;
}

/** The scopes in force while `pane` has the focus (most specific first). */
export function paneScopes(pane: PaneRoute | undefined, ui: UIState): KeyScope[] {
  return [...(pane?.scopes(ui) ?? []), 'global'];
}
