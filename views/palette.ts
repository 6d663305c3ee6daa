// Semantic colour tokens: components name what a colour means (ok, warn, high, critical, muted,
// accent), never a raw colour. Ink's bundled chalk ignores NO_COLOR, so monochrome is a palette of
// its own here; every status also has a glyph so that no meaning rests on colour alone. Pure (no
// React): the first frame drawn before Ink loads (views/frame.ts) uses the same palette.
import type { CheckStatus, Severity } from '../src/model.js';
import { statusGlyph } from '../src/text/glyphs.js';

export type ColorToken = 'ok' | 'warn' | 'high' | 'critical' | 'muted' | 'accent';

export interface Theme {
  name: 'color' | 'mono';
  /** Colour for a token, or undefined when the palette draws without colour. */
  color(token: ColorToken): string | undefined;
  /** Monochrome still needs emphasis: bold for the serious tokens. */
  bold(token: ColorToken): boolean;
}

// Named colours downsample cleanly on 16-colour terminals; the orange of `high` is a hex that
// chalk maps to the nearest 256- or 16-colour entry.
const COLOR_PALETTE: Record<ColorToken, string> = {
  ok: 'green',
  warn: 'yellow',
  high: '#ff8700',
  critical: 'red',
  muted: 'gray',
  accent: 'cyan',
};

export const colorTheme: Theme = {
  name: 'color',
  color: (token) => COLOR_PALETTE[token],
  bold: (token) => token === 'critical',
};

export const monoTheme: Theme = {
  name: 'mono',
  color: () => undefined,
  bold: (token) => token === 'critical' || token === 'high' || token === 'accent',
};

/** NO_COLOR (any non-empty value, no-color.org) or --no-color → monochrome. */
export function resolveTheme(options: { noColor?: boolean; env?: NodeJS.ProcessEnv } = {}): Theme {
  const env = options.env ?? process.env;
  if (options.noColor || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return monoTheme;
  return colorTheme;
}

const STATUS_TOKEN: Record<CheckStatus, ColorToken> = {
  ok: 'ok',
  MEDIUM: 'warn',
  HIGH: 'high',
  CRITICAL: 'critical',
  error: 'critical',
  pending: 'muted',
};


export function statusToken(status: CheckStatus): ColorToken {
  return STATUS_TOKEN[status];
}

export { statusGlyph };

export function severityToken(severity: Severity): ColorToken {
  return STATUS_TOKEN[severity];
}
