// The lines every list shares, pure: the filter with what it leaves ("filter: pms — 2 of 7"), and
// where a list that does not fit is ("6–15 of 40 · ↑5 · +25 more ↓", views/layout.ts listWindow).
import { fit } from '../text.js';
import { tone, type Line } from '../styled.js';

export function filterLine(filter: string, shown: number, total: number, width: number): Line {
  return [tone('accent', fit(`filter: ${filter} — ${shown} of ${total}`, width))];
}

export function positionLine(text: string | null, width: number): Line | null {
  return text ? [tone('muted', fit(text, width))] : null;
}
