// A line of the console as text with style marks, pure: the Ink components draw it
// (views/components/StyledLines.tsx), and so does the first frame drawn before Ink loads
// (views/frame.ts), so both show the same text.
import type { ColorToken, Theme } from './palette.js';
import { fit } from './text.js';
import { displayWidth } from '../src/text/width.js';

/** A run of text in one style (a new field must be compared by sameLine too). */
export interface Span {
  text: string;
  token?: ColorToken;
  /** A tone (views/components/Tone.tsx): the palette's emphasis for its token unless `bold` says. */
  tone?: boolean;
  bold?: boolean;
  inverse?: boolean;
}

export type Line = readonly Span[];

export const plain = (text: string): Span => ({ text });
export const strong = (text: string): Span => ({ text, bold: true });
/** Text in a colour, without the tone's emphasis (Ink's `<Text color>`). */
export const colored = (token: ColorToken, text: string): Span => ({ text, token });
export const tone = (token: ColorToken, text: string, bold?: boolean): Span => (bold === undefined ? { text, token, tone: true } : { text, token, tone: true, bold });

/** A mark on a whole line (an outer `<Text inverse>` / `<Text bold>`): it applies to every span. */
export function marked(line: Line, mark: { inverse?: boolean; bold?: boolean }): Line {
  if (!mark.inverse && !mark.bold) return line;
  return line.map((s) => ({ ...s, ...(mark.inverse ? { inverse: true } : {}), ...(mark.bold ? { bold: true } : {}) }));
}

export interface SpanStyle {
  color: string | undefined;
  bold: boolean;
  inverse: boolean;
}

/** How a span is drawn under a palette. */
export function spanStyle(span: Span, theme: Theme): SpanStyle {
  return {
    color: span.token ? theme.color(span.token) : undefined,
    bold: span.bold ?? (span.tone && span.token ? theme.bold(span.token) : false),
    inverse: span.inverse ?? false,
  };
}

/** Two lines with the same spans: the same text in the same style, drawn alike under any palette. */
export function sameLine(a: Line, b: Line): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.text !== y.text || x.token !== y.token || x.tone !== y.tone || x.bold !== y.bold || x.inverse !== y.inverse)) return false;
  }
  return true;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** The line cut to `width` cells with an ellipsis, as Ink's `wrap="truncate-end"` cuts it. */
export function truncateLine(line: Line, width: number): Line {
  const text = lineText(line);
  if (displayWidth(text) <= width) return line;
  const cut = fit(text, width);
  const keep = cut.slice(0, -1); // without the ellipsis
  const out: Span[] = [];
  let at = 0;
  for (const span of line) {
    if (at >= keep.length) break;
    const part = span.text.slice(0, keep.length - at);
    at += span.text.length;
    out.push({ ...span, text: part });
  }
  const last = out.at(-1);
  if (last) out[out.length - 1] = { ...last, text: last.text + '…' };
  else out.push({ text: '…' });
  return out;
}
