// `JSON.stringify(value, null, 2)` in pieces, for output too large to hold twice. `imos status
// --json` on 10,000 checks prints 3.7 MB: one string of it, another copy when it is flattened for
// writing and a Buffer of it cost about 4,000 pages of fresh memory, which a short-lived process
// pays for page by page (README, Performance: "Configuration at scale"). Written in pieces, the
// memory of one piece is reused for the next.

const INDENT = '  ';

/** A container written here, piece by piece (anything else, a Date included, goes to JSON.stringify whole). */
function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The text of `JSON.stringify(value, null, 2)`, in order, in pieces: arrays and plain objects
 * down to `depth` levels are written here, a member at a time; what lies deeper is written by
 * JSON.stringify whole (one check of a report, one alert). Joined, the pieces are exactly
 * JSON.stringify's text (a value with a `toJSON` of its own is given the key "" rather than its
 * own key: Date's ignores it). Nothing at all for a value JSON.stringify gives `undefined` for.
 */
export function* jsonPieces(value: unknown, depth = 3): Generator<string> {
  if (isPlainContainer(value) && depth > 0) yield* containerPieces(value, '', depth);
  else {
    const text = JSON.stringify(value, null, 2);
    if (text !== undefined) yield text;
  }
}

/** JSON.stringify's text of a value that is not written in pieces, its lines indented by `indent`; undefined where JSON has none (undefined, a function). */
function wholeText(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2);
  // A string value holds no raw line break (JSON escapes them): every one starts a line.
  return text !== undefined && text.includes('\n') ? text.replaceAll('\n', `\n${indent}`) : text;
}

function* containerPieces(value: Record<string, unknown> | unknown[], indent: string, depth: number): Generator<string> {
  const inner = indent + INDENT;
  const isArray = Array.isArray(value);
  const keys = isArray ? null : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  let first = true;
  for (let i = 0; i < count; i++) {
    const key = keys ? keys[i]! : null;
    const member = key === null ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    const lead = `${first ? (isArray ? '[' : '{') : ','}\n${inner}${key === null ? '' : `${JSON.stringify(key)}: `}`;
    if (depth > 1 && isPlainContainer(member)) {
      first = false;
      yield lead;
      yield* containerPieces(member, inner, depth - 1);
      continue;
    }
    const text = wholeText(member, inner);
    // What JSON has no text for is left out of an object and written as null in an array, as JSON.stringify does.
    if (text === undefined && key !== null) continue;
    first = false;
    yield lead + (text ?? 'null');
  }
  yield first ? (isArray ? '[]' : '{}') : `\n${indent}${isArray ? ']' : '}'}`;
}
