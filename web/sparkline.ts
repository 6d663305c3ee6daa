// A sparkline as inline SVG (no script, no style attribute): the values scaled into a 100×20 box,
// with a title saying the range, so a screen reader and a hover tell the numbers too.
import { html, type SafeHtml } from '../src/text/html.js';

export function sparkline(values: readonly number[], label: string, unit = ''): SafeHtml {
  const points = values.filter((v) => Number.isFinite(v));
  if (points.length < 2) return html``;
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min || 1;
  const step = 100 / (points.length - 1);
  const coords = points.map((v, i) => `${(i * step).toFixed(1)},${(20 - ((v - min) / span) * 18 - 1).toFixed(1)}`).join(' ');
  const range = `${label}: ${round(min)}–${round(max)}${unit}`;
  return html`<svg class="spark" viewBox="0 0 100 20" preserveAspectRatio="none" role="img" aria-label="${range}"><title>${range}</title><polyline points="${coords}"/></svg>`;
}

const round = (v: number) => (Math.abs(v) >= 10 ? Math.round(v) : Math.round(v * 10) / 10);
