// Each check of imos.yaml validated once, by one schema per kind: the keys every check has and the
// kind's own keys (with the kind's rules), merged. A large configuration (10,000 checks) was read
// twice over, by the file's schema and again by each kind's. What is reported, and when, stays as
// it was: problems with the common keys come with the rest of the file's, the kind's own only once
// the file is otherwise sound, at the check's turn (normalize.ts).
import * as z from 'zod';
import { getCheckKind } from '../../checks/registry.js';
import type { CheckKind } from '../../checks/types.js';
import type { ConfigIssue } from './errors.js';
import type { SourceMap } from './load.js';
import { PARSE_ONCE } from './parse-once.js';
import { commonCheckSchema, type RawCheck } from './schema.js';

export interface ValidatedCheck {
  /** The check as written (after ${VAR} expansion): its keys, for naming misspelt ones. */
  input: Record<string, unknown>;
  /** The common keys read (and the kind's, when validated against its kind). */
  check: RawCheck;
  /** The kind's options; null when the check was not validated against its kind (an unknown kind, or not named by --only). */
  options: Record<string, unknown> | null;
  /** Problems with the kind's own keys, reported once the rest of the file is sound. */
  kindIssues: z.core.$ZodIssue[];
  /** The schema the check was validated with (it names the allowed keys); none for a check read back valid (load.ts: it has no problem to report). */
  schema?: z.ZodType;
}

export const COMMON_CHECK_KEYS: ReadonlySet<string> = new Set(Object.keys(commonCheckSchema.shape));

/**
 * The common keys alone (a check not validated against its kind): they are read as written (no
 * defaults, no conversions), so the check is kept as written and zod need not copy its other keys.
 */
const commonKeysOnly = commonCheckSchema.strip();

interface KindSchema {
  schema: z.ZodType;
  /** The kind's keys, to pick its options out of a kind that drops unknown keys (null: it keeps every key). */
  pick: string[] | null;
}

const kindSchemas = new WeakMap<CheckKind<unknown>, KindSchema | null>();

/** The kind's schema extended by the common keys; null for a kind that is not one object schema. */
function kindSchema(kind: CheckKind<unknown>): KindSchema | null {
  if (kindSchemas.has(kind)) return kindSchemas.get(kind)!;
  const own = kind.schema as unknown as { shape?: Record<string, unknown>; safeExtend?: (shape: object) => z.ZodType; _zod: { def: { catchall?: { _zod: { def: { type: string } } } } } };
  let merged: KindSchema | null = null;
  if (own.shape && own.safeExtend && !Object.keys(own.shape).some((key) => COMMON_CHECK_KEYS.has(key))) {
    // safeExtend keeps the kind's rules (refinements) and its handling of unknown keys.
    const keepsAll = own._zod.def.catchall?._zod.def.type === 'unknown';
    merged = { schema: own.safeExtend(commonCheckSchema.shape), pick: keepsAll ? null : Object.keys(own.shape) };
  }
  kindSchemas.set(kind, merged);
  return merged;
}

/**
 * From this many checks read by one schema, the schema's parser is generated (zod's `compile`:
 * one function for the whole check, built with `new Function`) instead of zod walking it value by
 * value. Generating costs a few milliseconds per schema, so it is kept for many checks (200 is a chosen
 * threshold, not a measured break-even): a file of 10,000 checks validates them in about a
 * third of the time (README: "Performance"). A
 * check the generated parser refuses is read again by zod's own, so problems are reported the same.
 */
export const COMPILE_FROM = 200;

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

/** `schema` with its generated parser (made once per schema; unchanged when zod cannot generate one). */
function compiled(schema: z.ZodType): z.ZodType {
  let out = compiledSchemas.get(schema);
  if (!out) compiledSchemas.set(schema, (out = z.compile(schema)));
  return out;
}

/** Shared by every check without problems of its kind (read only). */
export const NO_ISSUES: z.core.$ZodIssue[] = Object.freeze([]) as unknown as z.core.$ZodIssue[];

/** A kind's own problem (one of its keys or rules), not one with the keys every check has. */
const isKindIssue = (issue: z.core.$ZodIssue): boolean =>
  issue.path.length > 0 ? !COMMON_CHECK_KEYS.has(String(issue.path[0])) : issue.code === 'unrecognized_keys';

/**
 * Validate the checks (`checks:` as written); the problems with their common keys are added to
 * `issues`. `only`: validate only these checks against their kind (`imos check --only`).
 */
export function validateChecks(list: readonly unknown[], source: SourceMap, issues: ConfigIssue[], only?: ReadonlySet<string>): ValidatedCheck[] {
  // Which schema reads each check, and how many checks each reads (to choose its parser).
  const kinds: Array<CheckKind<unknown> | undefined> = new Array(list.length);
  const merges: Array<KindSchema | null> = new Array(list.length);
  const schemas: z.ZodType[] = new Array(list.length);
  const named: boolean[] = new Array(list.length);
  const uses = new Map<z.ZodType, number>();
  for (let index = 0; index < list.length; index++) {
    const input = list[index] as Record<string, unknown>;
    const kind = input !== null && typeof input === 'object' && typeof input.kind === 'string' ? getCheckKind(input.kind) : undefined;
    const isNamed = !only || only.has(input?.id as string);
    const merged = kind && isNamed ? kindSchema(kind) : null;
    const schema = merged?.schema ?? commonKeysOnly;
    kinds[index] = kind;
    merges[index] = merged;
    schemas[index] = schema;
    named[index] = isNamed;
    uses.set(schema, (uses.get(schema) ?? 0) + 1);
  }
  const parsers = new Map<z.ZodType, z.ZodType>();
  for (const [schema, count] of uses) parsers.set(schema, count >= COMPILE_FROM ? compiled(schema) : schema);

  const out: ValidatedCheck[] = [];
  for (let index = 0; index < list.length; index++) {
    const input = list[index] as Record<string, unknown>;
    const kind = kinds[index];
    const merged = merges[index] ?? null;
    const schema = schemas[index]!;
    const parsed = parsers.get(schema)!.safeParse(input, PARSE_ONCE);
    let kindIssues: z.core.$ZodIssue[] = NO_ISSUES;
    if (!parsed.success) {
      const common = merged ? parsed.error.issues.filter((issue) => !isKindIssue(issue)) : parsed.error.issues;
      if (common.length > 0) {
        issues.push(...source.zodIssues({ issues: common }, ['checks', index], schema));
        continue;
      }
      kindIssues = parsed.error.issues;
    }
    const check = (parsed.success && merged ? parsed.data : input) as RawCheck;
    let options: Record<string, unknown> | null = null;
    if (merged) options = merged.pick ? pick(check, merged.pick) : (check as Record<string, unknown>);
    else if (kind && named[index]) {
      // A kind that is not one object schema: its own validation, after the common keys'.
      const own = kind.schema.safeParse(check, PARSE_ONCE);
      if (own.success) options = own.data as Record<string, unknown>;
      else kindIssues = own.error.issues;
    }
    out.push({ input, check, options, kindIssues, schema: merged || !kind ? schema : kind.schema });
  }
  return out;
}

function pick(from: object, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in from) out[key] = (from as Record<string, unknown>)[key];
  return out;
}
