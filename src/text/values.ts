// A measured value (a metric, an alert's value) as text: the one formatter, with what each place
// needs said by options. A leaf: it imports only the sanitiser.
import { sanitizeLine } from './sanitize.js';

export interface ValueFormat {
  /** Shown for no value (default "–"). */
  empty?: string;
  /** Non-integers to two decimals (default true); false: as they are. */
  round?: boolean;
  /** Text from outside is cut to this many characters and stripped of terminal controls. */
  max?: number;
}

export function formatValue(value: unknown, { empty = '–', round = true, max }: ValueFormat = {}): string {
  if (value === null || value === undefined) return empty;
  if (typeof value === 'number' && round) return Number.isInteger(value) ? String(value) : value.toFixed(2);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return max === undefined ? text : sanitizeLine(text, max);
}

/** `512 B`, `1.5 KiB`, `1 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
}
