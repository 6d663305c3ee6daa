// Load imos.yaml: parse YAML, expand ${VAR} / ${VAR:-default}, validate with the schema and each
// check kind's own schema, parse every condition, resolve references — and report every mistake
// with file, line, column and field. Positions cost a second slower parse (the `yaml` library's
// document), so they are found only when there is something to report (yaml-fast.ts).
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type * as z from 'zod';
import { CliError, EXIT } from '../exit.js';
import { onFirstUse } from '../on-first-use.js';
import { configSchema, type RawConfig } from './schema.js';
import { readYamlFast } from './yaml-fast.js';
import { cacheSlot, defaultParseCache, parseInSlot, type ParseCache, type ValidatedData } from './parse-cache.js';
import { allowedKeysAt, unknownKeyMessage, yamlHint } from './hints.js';
import { normalizeConfig } from './normalize.js';
import { PARSE_ONCE } from './parse-once.js';
import { NO_ISSUES, validateChecks, type ValidatedCheck } from './checks.js';
import type { ImosConfig } from './types.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { MAX_CONFIG_BYTES, readTextFileSync, TextFileError } from '../text-file.js';

export { ConfigError, formatIssue, type ConfigIssue } from './errors.js';

export type FieldPath = Array<string | number>;

/** `checks[3].thresholds.HIGH` */
export function formatField(fieldPath: FieldPath): string {
  let out = '';
  for (const part of fieldPath) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

/**
 * The `yaml` library, loaded on first use (as string-width in text/width.ts): only a file js-yaml
 * declines, or a message that needs a position, uses it, and its 115 KB of code were loaded and
 * run by every command that reads the configuration.
 */
const yaml = onFirstUse('yaml', (library: typeof import('yaml')) => library);

/** Finds where a field sits in the file, for messages: the file is parsed with positions on first use. */
export class SourceMap {
  private parsed: { doc: Document; lines: LineCounter } | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  private document(): { doc: Document; lines: LineCounter } {
    if (!this.parsed) {
      const { LineCounter, parseDocument } = yaml();
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }

  /** The file's data as the `yaml` library reads it; a ConfigError for a file that is not valid YAML. */
  data(): unknown {
    const { doc, lines } = this.document();
    const file = this.file;
    if (doc.errors.length > 0) {
      // One mistake makes the parser stumble on everything after it: the first error, with what it
      // most likely is, and how many more follow (fix the first, then look again).
      const first = doc.errors[0]!;
      const pos = first.linePos?.[0] ?? lines.linePos(first.pos[0]);
      const lineText = pos?.line ? (this.text.split('\n')[pos.line - 1] ?? '') : '';
      const hint = yamlHint(lineText);
      const more = doc.errors.length - 1;
      const message = `${first.message.split('\n')[0]!}${hint ? ` — ${hint}` : ''}${more > 0 ? ` (${more} more YAML problem${more === 1 ? '' : 's'} follow${more === 1 ? 's' : ''} from it: fix this one first)` : ''}`;
      throw new ConfigError([{ file, line: pos?.line, column: pos?.col, field: '', message }]);
    }
    try {
      return doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // e.g. aliases that expand without bound ("billion laughs"): a mistake in the file, not a crash.
      throw new ConfigError([{ file, line: 1, field: '', message: `cannot read the YAML: ${(error as Error).message}` }]);
    }
  }

  /** Position of the value at `fieldPath`, else of its key, else of the nearest parent. */
  locate(fieldPath: FieldPath): { line?: number; column?: number } {
    const { doc, lines } = this.document();
    for (let n = fieldPath.length; n >= 0; n--) {
      const node = doc.getIn(fieldPath.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return {};
  }

  issue(fieldPath: FieldPath, message: string, columnOffset = 0): ConfigIssue {
    const pos = this.locate(fieldPath);
    return {
      file: this.file,
      line: pos.line,
      column: pos.column !== undefined ? pos.column + columnOffset : undefined,
      field: formatField(fieldPath),
      message,
    };
  }

  /** Issues of a zod validation, located under `prefix`; `schema` (the one validated) names the allowed keys. */
  zodIssues(error: { issues: readonly z.core.$ZodIssue[] }, prefix: FieldPath = [], schema?: z.ZodType): ConfigIssue[] {
    return error.issues.map((issue) => {
      const at = [...prefix, ...(issue.path as FieldPath)];
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys: string[] }).keys;
        const allowed = schema ? allowedKeysAt(schema, issue.path as FieldPath) : [];
        return this.issue([...at, keys[0]!], unknownKeyMessage(keys, allowed));
      }
      if (issue.code === 'invalid_key') {
        // A record key (a system or person id) that fails its own rule: say which rule.
        const inner = (issue as { issues?: Array<{ message?: string }> }).issues?.[0]?.message;
        if (inner) return this.issue(at, inner);
      }
      return this.issue(at, issue.message);
    });
  }
}

import { resolveConfigPath } from './locate.js';

export { resolveConfigPath };

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Expand ${VAR} and ${VAR:-default} in every string; a missing variable without default is an issue. */
export function expandEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  onMissing: (fieldPath: FieldPath, name: string) => void,
  fieldPath: FieldPath = [],
): unknown {
  // One path, extended and shortened on the way down (a copy only for a missing variable), and a
  // collection copied only when a value inside it changed: 10,000 checks are a few hundred
  // thousand values, nearly none with a ${VAR}.
  const path = [...fieldPath];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('${')) return node;
      return node.replace(ENV_REF, (_match, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        onMissing([...path], name);
        return '';
      });
    }
    if (Array.isArray(node)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const value = walk(node[i]);
        path.pop();
        if (value !== node[i]) (out ??= node.slice())[i] = value;
      }
      return out ?? node;
    }
    if (node && typeof node === 'object' && !(node instanceof Date)) {
      let out: Record<string, unknown> | null = null;
      for (const key of Object.keys(node)) {
        const before = (node as Record<string, unknown>)[key];
        path.push(key);
        const value = walk(before);
        path.pop();
        if (value !== before) (out ??= { ...(node as Record<string, unknown>) })[key] = value;
      }
      return out ?? node;
    }
    return node;
  };
  return walk(value);
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * Validate only these checks in full (`imos check --only`); the others are read for their id,
   * system, kind and options, which is all that running the named ones needs of them.
   */
  checks?: string[];
  /** Where a large file's parsed data is kept between runs (parse-cache.ts); none: parsed every time. */
  parseCache?: ParseCache;
}

/** Load and validate a configuration file; throws ConfigError listing every issue found. */
export function loadConfigFile(file: string, options: LoadOptions = {}): ImosConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readTextFileSync(absolute, MAX_CONFIG_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'configuration file not found (create one with `imos init`, or pass --config FILE)'
        : code === 'EISDIR'
          ? `this is a directory, not a configuration file (pass the file, such as ${path.join(file, 'imos.yaml')})`
          : error instanceof TextFileError
            ? `not read as the configuration: ${error.message}`
            : `cannot read the configuration file (${code ?? String(error)})`;
    throw new ConfigError([{ file: absolute, field: '', message: reason }]);
  }
  return loadConfigText(text, absolute, options);
}

export function loadConfigText(text: string, file: string, options: LoadOptions = {}): ImosConfig {
  const source = new SourceMap(file, text);
  const slot = cacheSlot(text, file, options.parseCache);
  // Kept only for a text whose values refer to no variable (below): what validation made of it
  // depends on the text alone.
  if (slot?.held && 'validated' in slot.held) return fromValidated(slot.held.validated, file, source, options.checks);
  // Kept below, once it is known whether the file is valid: a valid one keeps what validation made of it.
  const fast = parseInSlot(slot, () => readYamlFast(text), false);
  const raw = fast ?? source.data();
  // What the bundled reader declined is kept nowhere (the `yaml` library read it: parse-cache.ts).
  const keepParse = () => {
    if (slot && slot.held === undefined && fast !== undefined) slot.keep({ parsed: fast });
  };
  let loaded: ReturnType<typeof validate>;
  try {
    loaded = validate(raw, text, file, source, options);
  } catch (error) {
    keepParse();
    throw error;
  }
  if (slot && fast !== undefined && loaded.validated) slot.keep({ validated: loaded.validated });
  else keepParse();
  return loaded.config;
}

/** A file validated by an earlier load of the same text (parse-cache.ts): its conditions and references read, as after validation. */
function fromValidated(kept: ValidatedData, file: string, source: SourceMap, only: string[] | undefined): ImosConfig {
  const checks: ValidatedCheck[] = kept.checks.map(([check, options]) => ({
    // No key of a valid file is unknown: the check as read names its keys.
    input: check as Record<string, unknown>,
    check: check as ValidatedCheck['check'],
    options: options as Record<string, unknown>,
    kindIssues: NO_ISSUES,
  }));
  const issues: ConfigIssue[] = [];
  const config = normalizeConfig(kept.data as RawConfig, checks, file, source, issues, only ? new Set(only) : undefined);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

/**
 * Validate the file's data; with it, what validation made of the file when every check was read in
 * full and no value refers to a variable (then no environment could change it).
 */
function validate(raw: unknown, text: string, file: string, source: SourceMap, options: LoadOptions): { config: ImosConfig; validated: ValidatedData | null } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ file, line: 1, field: '', message: 'expected a mapping of settings (project, systems, checks, …)' }]);
  }

  const issues: ConfigIssue[] = [];
  // A value holds "${" only when the file does, or when an escape in a double-quoted text makes
  // one (`"\x24{VAR}"`, a line joined by "\"): without either, there is nothing to expand and
  // the values are not walked (10,000 checks are a few hundred thousand of them).
  const mayExpand = text.includes('${') || text.includes('\\');
  const expanded = !mayExpand
    ? raw
    : expandEnv(raw, options.env ?? process.env, (fieldPath, name) => {
        issues.push(
          source.issue(fieldPath, `environment variable ${name} is not set (set it, or write \${${name}:-default})`),
        );
      });

  // The file's schema takes any list as `checks:` (each check is read below, checks.ts): it is
  // shown an empty one rather than walking 10,000 checks only to find that they form a list.
  const list = (expanded as { checks?: unknown }).checks;
  const parsed = configSchema().safeParse(Array.isArray(list) ? { ...(expanded as object), checks: [] } : expanded, PARSE_ONCE);
  const fileIssues = parsed.success ? [] : parsed.error.issues;
  // The checks are validated one by one (checks.ts); their problems are listed where the file's
  // schema would list them: after those of the keys before `checks:`, before those after it.
  const keys = Object.keys(configSchema().shape);
  const checksAt = keys.indexOf('checks');
  let split = fileIssues.findIndex((issue) => issue.path.length === 0 || keys.indexOf(String(issue.path[0])) > checksAt);
  if (split === -1) split = fileIssues.length;
  issues.push(...source.zodIssues({ issues: fileIssues.slice(0, split) }, [], configSchema()));
  const only = options.checks ? new Set(options.checks) : undefined;
  const checks = Array.isArray(list) ? validateChecks(list, source, issues, only) : [];
  issues.push(...source.zodIssues({ issues: fileIssues.slice(split) }, [], configSchema()));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);

  const config = normalizeConfig(parsed.data as RawConfig, checks, file, source, issues, only);
  if (issues.length > 0) throw new ConfigError(issues);
  // expandEnv gives back the data itself when no value named a variable.
  const independent = !only && expanded === raw;
  return { config, validated: independent ? { data: parsed.data, checks: checks.map((c) => [c.check, c.options]) } : null };
}

/** For commands: load the configuration, or fail with the issues and exit code 78. */
export async function loadConfigOrExit(explicit?: string, options: LoadOptions = {}): Promise<ImosConfig> {
  try {
    return loadConfigFile(resolveConfigPath(explicit), { parseCache: defaultParseCache(), ...options });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.config);
    throw error;
  }
}
