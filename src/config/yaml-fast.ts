// Reading imos.yaml quickly. The `yaml` library is the reference (its meaning of a file, its
// positions in messages) but builds a document with every node's position: 10,000 checks take it
// over a second. js-yaml reads the same file several times faster; here it reads only what it
// reads exactly as `yaml` does, and declines (returns undefined) everything else, which then goes
// through `yaml`: a file with anchors or aliases, a key that is a collection or null, a tag or a
// number form the core schema does not have, and every mistake (`yaml` reports it with a line).
import jsyaml from 'js-yaml';

// The scalars of the YAML 1.2 core schema, as `yaml` resolves them (yaml/dist/schema/core). Every
// plain scalar is offered to each type in turn: a type first looks at the character its pattern
// must start with (most scalars of a configuration are ids, names and URLs), so the scalars of
// 10,000 checks are not each run through four patterns.
const scalar = (tag: string, starts: (code: number) => boolean, test: RegExp, construct: (text: string) => unknown) =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (text: string) => (text.length === 0 || starts(text.charCodeAt(0))) && test.test(text),
    construct,
  });

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** ~ n N */
const nullStart = (code: number) => code === 0x7e || code === 0x6e || code === 0x4e;
/** t T f F */
const boolStart = (code: number) => code === 0x74 || code === 0x54 || code === 0x66 || code === 0x46;
/** a digit, + or - */
const intStart = (code: number) => isDigit(code) || code === 0x2b || code === 0x2d;
/** …or . */
const floatStart = (code: number) => intStart(code) || code === 0x2e;

const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', nullStart, /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar('bool', boolStart, /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    scalar('int', intStart, /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (text) =>
      text.startsWith('0o') ? Number.parseInt(text.slice(2), 8) : text.startsWith('0x') ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10),
    ),
    scalar('float', floatStart, /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/, (text) => {
      if (/nan$/i.test(text)) return Number.NaN;
      if (/inf$/i.test(text)) return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      return Number.parseFloat(text);
    }),
  ],
});

/** Constructs js-yaml would read differently from `yaml` (a false alarm only costs the slow path). */
const DECLINED = [
  /(?:^|[\s,[{])[&*][^\s,[\]{}]/m, // an anchor or an alias
  /(?:^|[\s,[{])\?(?:[ \t]|$)/m, // an explicit (complex) key
  /[\]}][ \t]*:(?:[ \t]|$)/m, // a flow collection as a key
  /(?:^|[\s,[{])!/m, // a tag: `yaml` keeps an unknown one as text, js-yaml refuses it
];

/** The file's data, or undefined when `yaml` must read it. */
export function readYamlFast(text: string): unknown {
  if (DECLINED.some((pattern) => pattern.test(text))) return undefined;
  let value: unknown;
  try {
    value = jsyaml.load(text, { schema: CORE });
  } catch {
    return undefined; // a mistake: `yaml` says where
  }
  return hasNullKey(value, 0) ? undefined : value;
}

/** A key `null` or `~` (js-yaml makes it "null", `yaml` ""); quoted "null" is a false alarm. */
function hasNullKey(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth > 200) return false;
  if (Array.isArray(value)) return value.some((item) => hasNullKey(item, depth + 1));
  for (const key in value) {
    if (key === 'null' || hasNullKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}
