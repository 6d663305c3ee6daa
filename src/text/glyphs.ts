// One glyph per status, shared by the console and the plain-text commands, so that HIGH and
// MEDIUM differ without colour (NO_COLOR, a wallboard far away, a screen reader's transcript).
import type { CheckStatus } from '../model.js';

export const STATUS_GLYPH: Record<CheckStatus, string> = {
  ok: '✓',
  MEDIUM: '▲',
  HIGH: '◆',
  CRITICAL: '✖',
  error: '?',
  pending: '○',
};

export function statusGlyph(status: CheckStatus): string {
  return STATUS_GLYPH[status];
}
