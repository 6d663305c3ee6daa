// HTML from text that may come from outside (check messages, standups, the matrix, names): every
// value put into markup is escaped unless it is markup this module built. `html\`…\`` escapes each
// interpolated value (strings, numbers, arrays of either) and passes only SafeHtml through, so a
// page assembled from it cannot carry a tag, an attribute or a URL scheme from the data.

/** Text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: unknown): string {
  const s = typeof text === 'string' ? text : text === null || text === undefined ? '' : String(text);
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that is already safe: only `html` (and `raw`, for constants of the program) make it. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** A template whose interpolations are escaped (arrays joined, null / undefined / false left out). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup written in the program itself (a constant icon, a stylesheet): never data. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
