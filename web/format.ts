// How the web page writes times, ages and statuses: the console's formatters (views/model/format)
// plus the few shapes a page needs (a time with its day when it is not today, a status badge).
import type { CheckStatus } from '../src/model.js';
import { html, type SafeHtml } from '../src/text/html.js';
import { STATUS_GLYPH } from '../src/text/glyphs.js';
import { clockTime, compactDuration, dayIn, msOf } from '../views/model/format.js';

/** "14:05", or "01-27 14:05" when not today (project timezone); "–" for none. */
export function stamp(iso: string | null | undefined, nowMs: number, timezone: string): string {
  const at = msOf(iso);
  if (!Number.isFinite(at)) return '–';
  const day = dayIn(at, timezone);
  return day === dayIn(nowMs, timezone) ? clockTime(at, timezone) : `${day.slice(5)} ${clockTime(at, timezone)}`;
}

/** "12m", "3h5m"; never negative. */
export function age(ms: number): string {
  return compactDuration(Math.max(0, ms));
}

/** A status or severity as a badge: glyph, word and colour (colour is never the only signal). */
export function statusBadge(status: CheckStatus, word: string = status): SafeHtml {
  return html`<span class="sev s-${status}">${STATUS_GLYPH[status]} ${word}</span>`;
}

/** The `<time>` element for an ISO instant, shown as `stamp` gives it. */
export function timeTag(iso: string | null | undefined, nowMs: number, timezone: string): SafeHtml {
  return iso ? html`<time datetime="${iso}">${stamp(iso, nowMs, timezone)}</time>` : html`–`;
}
