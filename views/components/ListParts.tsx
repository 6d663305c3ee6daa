// The lines every list shares: the filter with what it leaves ("filter: pms — 2 of 7"), and where
// a list that does not fit is ("6–15 of 40 · ↑5 · +25 more ↓", views/layout.ts listWindow).
import { Text } from 'ink';
import { Tone } from './Tone.js';
import { fit } from '../text.js';

export function FilterLine({ filter, shown, total, width }: { filter: string; shown: number; total: number; width: number }) {
  return <Tone token="accent">{fit(`filter: ${filter} — ${shown} of ${total}`, width)}</Tone>;
}

export function PositionLine({ text, width }: { text: string | null; width: number }) {
  if (!text) return null;
  return (
    <Text wrap="truncate-end">
      <Tone token="muted">{fit(text, width)}</Tone>
    </Text>
  );
}
