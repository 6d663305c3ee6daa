// The lines around the panes, pure: the header, the tab strip, a pane's title line and the footer
// of key hints. Header.tsx, TabStrip.tsx, components/Pane.tsx and Footer.tsx draw them with Ink;
// the first frame drawn before Ink loads (views/frame.ts) draws the same lines as text.
import { displayWidth } from '../src/text/width.js';
import type { ImosConfig } from '../src/config/types.js';
import { isUnknownActor, refusesUnknownActors } from '../src/identity.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { compactDuration } from './model/format.js';
import type { ViewModel } from './model/view-model.js';
import { footerHints, type KeyBinding } from './keymap.js';
import { paneKey, paneScopes, type PaneRoute } from './panes/pane.js';
import type { Theme } from './palette.js';
import { colored, plain, tone, type Line, type Span } from './styled.js';
import { fit } from './text.js';
import type { UIState } from './ui-state.js';

export interface HeaderParts {
  project: string;
  /** Store trouble and pause, in a warning colour: always shown. */
  alarm: string;
  /** Who holds the poller ("poller: console luna@host pid 42", "no poller"). */
  holder: string;
  /** "last poll 3s ago". */
  lastPoll: string;
  /** Who acts ("as luna", "read-only", "wallboard"): always shown. */
  mode: string;
  /** Beside the mode, in a warning colour ("⚠ not in people"). */
  flag: string;
}

const CLOCK = 8;
const PROJECT_MIN = 10;

/**
 * What fits in `width`, giving up the least important first: the last poll, then the project
 * name down to 10 cells, then the poller's holder, then the rest of the project name; the mode
 * ("as NAME") and its flag are cut only when nothing else is left. The texts' widths, with two
 * cells between the sides and the clock, add up to at most `width`.
 */
export function fitHeader(width: number, parts: HeaderParts): { left: string; muted: string; mode: string; flag: string } {
  const w = displayWidth;
  const project = `imos · ${parts.project}`;
  let projectWidth = Math.min(w(project), Math.max(PROJECT_MIN, Math.floor(width / 3)));
  let optional = [parts.holder, parts.lastPoll];
  let mode = parts.mode;
  let flag = parts.flag ? ` ${parts.flag}` : '';
  const muted = () => (optional.length ? `${optional.join(' · ')} · ` : '');
  const room = () => width - CLOCK - 1 - w(parts.alarm) - projectWidth - 2 - w(muted()) - w(mode) - w(flag);
  if (room() < 0) optional = [parts.holder];
  if (room() < 0) projectWidth = Math.max(Math.min(w(project), PROJECT_MIN), projectWidth + room());
  if (room() < 0) optional = [];
  if (room() < 0) projectWidth = Math.max(1, projectWidth + room());
  if (room() < 0) flag = fit(flag, Math.max(0, w(flag) + room()));
  if (room() < 0) mode = fit(mode, Math.max(0, w(mode) + room()));
  return { left: fit(project, projectWidth), muted: muted(), mode, flag };
}

export interface HeaderInput {
  config: ImosConfig;
  vm: ViewModel;
  actor: string;
  readonly: boolean;
  wallboard: boolean;
  storeError: string | null;
  gone?: string | null;
  /** This console polls and cannot record its results. */
  pollerProblem?: string | null;
}

/** The header's two sides: the project on the left; alarms, poller, mode and a space before the clock on the right. */
export function headerLine(input: HeaderInput, width: number): { left: Line; right: Line } {
  const { config, vm, readonly, wallboard, actor, storeError } = input;
  const gone = input.gone ?? null;
  const lastPoll = vm.lastPollAt ? `last poll ${compactDuration(vm.nowMs - Date.parse(vm.lastPollAt))} ago` : 'no poll yet';
  const unknown = !wallboard && isUnknownActor(config, actor);
  const refused = unknown && refusesUnknownActors(config);
  const mode = wallboard ? 'wallboard' : readonly && !refused && !gone ? 'read-only' : `as ${sanitizeLine(actor, 40)}`;
  const flag = refused ? '✖ not in people · read-only' : unknown ? '⚠ not in people' : '';
  const storeLabel = gone ? '✖ WORKSPACE GONE ' : storeError ? (storeError.startsWith('store disconnected') ? '✖ STORE DISCONNECTED ' : '✖ STORE UNREADABLE ') : '';
  // Nobody has recorded a round for too long: every console says so, whoever should be polling.
  // A console polling itself says so from its first write that failed.
  const notPolling = !storeError && !gone && (vm.pollerAlarm || input.pollerProblem) ? '✖ NOT POLLING ' : '';
  const alarm = storeLabel + notPolling + (vm.paused ? `⏸ PAUSED${vm.pausedBy ? ` by ${vm.pausedBy}` : ''} ` : '');
  const fitted = fitHeader(width, { project: sanitizeLine(config.project, 80), alarm, holder: `poller: ${vm.holder}`, lastPoll, mode, flag });
  const right: Span[] = [];
  if (alarm) right.push(tone(storeError || gone || notPolling ? 'critical' : 'warn', alarm, true));
  right.push(colored('muted', fitted.muted), plain(fitted.mode));
  if (fitted.flag) right.push(tone(refused ? 'critical' : 'warn', fitted.flag, true));
  right.push(plain(' '));
  return { left: [{ ...colored('accent', fitted.left), bold: true }], right };
}

/** The tab strip (one pane at a time): each pane's number key, title and badge, the focused one marked. */
export function tabStripLine(panes: readonly (PaneRoute & { title: string; badge?(vm: ViewModel): string })[], focusedId: string, vm: ViewModel): Line {
  return panes.map((p, i) => {
    const focused = focusedId === p.id;
    const badge = p.badge?.(vm);
    const text = ` ${paneKey(i) ?? '·'} ${p.title}${badge ? ` ${badge}` : ''} `;
    return focused ? { text, token: 'accent', inverse: true, bold: true } : colored('muted', text);
  });
}

/** A pane's title line: "1 Overview" on the left, its summary on the right, inside `inner` cells. */
export function paneTitleLine(title: string, number: number, focused: boolean, inner: number, theme: Theme, right?: string): { left: Span; right: Span } {
  const left = `${number} ${title}`;
  const rightText = right ? fit(right, Math.max(0, inner - left.length - 2)) : '';
  return {
    left: { text: left, bold: true, ...(focused ? { token: 'accent' as const } : {}), ...(focused && theme.name === 'mono' ? { inverse: true } : {}) },
    right: colored('muted', rightText),
  };
}

/** The footer: the focused pane's keys first, then the global ones that fit; help and quit always. */
export function footerText(ui: UIState, keymap: readonly KeyBinding[], wallboard: boolean, panes: readonly PaneRoute[], width: number): string {
  if (wallboard) return fit('wallboard · read-only · cycles the panes', width);
  if (ui.mode.kind === 'help') return 'Esc closes the help';
  if (ui.mode.kind === 'standup') {
    // While it asks whether to discard, Esc keeps editing: the hint says so.
    return fit(
      ui.mode.form.confirmingReplace
        ? 'y replace · n / Esc keep editing'
        : ui.mode.form.confirmingDiscard
          ? 'y discard · n / Esc keep editing'
          : 'Tab/↑↓ field · ←/→ choose · Enter newline · Ctrl-S save · Esc discard',
      width,
    );
  }
  const scopes = ui.mode.kind === 'normal' ? paneScopes(panes.find((p) => p.id === ui.pane), ui) : [];
  const hints = footerHints(scopes, keymap).map((h) => `${h.key} ${h.hint}`);
  const always: string[] = hints.filter((h) => h === '? help' || h === 'q quit');
  const parts: string[] = [];
  let used = always.reduce((n, h) => n + h.length + 2, 0);
  for (const h of hints) {
    if (always.includes(h)) continue;
    if (used + h.length + 2 > width) continue;
    parts.push(h);
    used += h.length + 2;
  }
  parts.push(...always);
  return parts.join('  ');
}
