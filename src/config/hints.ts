// Hints for configuration mistakes: the keys a place allows and the closest one to a misspelt key
// ("did you mean"), the allowed keys read from the schema itself, and what a YAML syntax error
// most likely is (an unquoted ${VAR} inside { … } is read as the start of a mapping).
import { closest, distance } from 'fastest-levenshtein';
import type * as z from 'zod';

/** The allowed key nearest to `key`, when it is near enough to be a slip of the fingers. */
export function closestKey(key: string, allowed: readonly string[]): string | null {
  if (allowed.length === 0) return null;
  const lower = key.toLowerCase();
  const best = closest(lower, allowed.map((k) => k.toLowerCase()));
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  if (distance(lower, best) > limit) return null;
  return allowed.find((k) => k.toLowerCase() === best) ?? null;
}

/** `unknown key "expct" for an http check (did you mean "expect"?); allowed: id, system, …` */
export function unknownKeyMessage(keys: readonly string[], allowed: readonly string[], what = ''): string {
  const guess = keys.length === 1 ? closestKey(keys[0]!, allowed) : null;
  const head = `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}${what ? ` ${what}` : ''}`;
  return `${head}${guess ? ` (did you mean "${guess}"?)` : ''}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`;
}

type AnySchema = z.ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
}
const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Down through optional / default / pipe / nullable wrappers to the schema that has a shape. */
function unwrap(schema: AnySchema): AnySchema {
  for (let i = 0; i < 20; i++) {
    const def = defOf(schema);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return schema;
    schema = next;
  }
  return schema;
}

/** The keys an object at `path` inside `schema` allows (empty when it is not an object there). */
export function allowedKeysAt(schema: AnySchema, path: ReadonlyArray<string | number>): string[] {
  let node: AnySchema | undefined = unwrap(schema);
  for (const part of path) {
    if (!node) return [];
    const def = defOf(node);
    if (def.type === 'object') node = def.shape?.[String(part)];
    else if (def.type === 'array') node = def.element;
    else if (def.type === 'record') node = def.valueType;
    else return [];
    node = node ? unwrap(node) : undefined;
  }
  if (!node) return [];
  const def = defOf(node);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/**
 * What a YAML syntax error at `line`/`column` most likely is, from the line's text. An unquoted
 * `${VAR}` inside a flow mapping (`{ url: ${DATABASE_URL} }`): YAML reads its `{` as a mapping.
 */
export function yamlHint(lineText: string): string | null {
  const ref = /(^|[\s,:[{])(\$\{[^}\s]*\}[^\s,}\]]*)/.exec(lineText);
  if (ref && /[{[]/.test(lineText.slice(0, ref.index + 1))) {
    const key = /([A-Za-z0-9_.-]+)\s*:\s*$/.exec(lineText.slice(0, ref.index + ref[1]!.length))?.[1];
    const value = ref[2]!;
    return `a \${VAR} inside { … } or [ … ] must be quoted, or YAML reads its { as a mapping: write ${key ? `${key}: ` : ''}"${value}"`;
  }
  if (/^\s*[^#'"]*:\s*\$\{/.test(lineText) === false && /\t/.test(lineText.slice(0, lineText.search(/\S/) + 1))) return 'indent with spaces, not tabs';
  return null;
}
