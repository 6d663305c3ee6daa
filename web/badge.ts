// A status badge per system (/badge/<system>.svg) for READMEs and wikis, shaped like the badges
// people know: the system on the left, its status (glyph and word) on the right, coloured by it.
// Every text is escaped; the SVG holds no script and no link.
import type { CheckStatus } from '../src/model.js';
import { html } from '../src/text/html.js';
import { STATUS_GLYPH } from '../src/text/glyphs.js';

const COLOUR: Record<CheckStatus, string> = {
  ok: '#2e8540',
  MEDIUM: '#b08800',
  HIGH: '#d9570f',
  CRITICAL: '#cf222e',
  error: '#8250df',
  pending: '#6e7781',
};

/** Roughly how wide a text is in 11px Verdana (what badge readers expect), without measuring fonts. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[A-Z0-9%]/.test(ch) ? 7.5 : /[a-z\-._ ]/.test(ch) ? 6.2 : 11;
  return Math.ceil(w);
}

export function statusBadgeSvg(label: string, status: CheckStatus, word: string = status === 'pending' ? 'no data' : status): string {
  const right = `${STATUS_GLYPH[status]} ${word}`;
  const lw = textWidth(label) + 12;
  const rw = textWidth(right) + 12;
  const total = lw + rw;
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${label}: ${word}">
<title>${label}: ${word}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${COLOUR[status]}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${lw / 2}" y="14">${label}</text>
<text x="${lw + rw / 2}" y="15" fill="#010101" fill-opacity=".3">${right}</text><text x="${lw + rw / 2}" y="14">${right}</text>
</g>
</svg>
`.value;
}

/** The page's icon: a small status-coloured square with the worst status's glyph. */
export function iconSvg(status: CheckStatus = 'ok'): string {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="${COLOUR[status]}"/><text x="8" y="12.5" font-size="11" text-anchor="middle" fill="#fff" font-family="sans-serif">${STATUS_GLYPH[status]}</text></svg>
`.value;
}
