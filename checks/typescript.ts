// Check kind `typescript`: runs the target project's own compiler (`tsc --noEmit -p <tsconfig>`)
// and counts its `error TS` diagnostics, keeping the count per file and the commonest codes for
// the detail view. The example's thresholds: CRITICAL over 150 errors; the quality gate is 0
// (docs/CONTRACT.md, "Defaults").
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as z from 'zod';
import { redactSecrets } from '../src/text/redact.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { plural } from './shared/format.js';
import { THIS_MACHINE, lastMeaningfulLine, runProcess } from './shared/process.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';
import { formatDuration } from '../src/text/durations.js';

const schema = z.looseObject({
  project: z.string().min(1).default('tsconfig.json'),
  tsc: z.string().min(1).optional(),
  /** How many files and codes the detail keeps. */
  top: z.number().int().min(1).max(100).default(10),
});

export type TypescriptCheckConfig = z.output<typeof schema>;

export interface TscDiagnostic {
  /** Path as tsc printed it (relative to the tsconfig's directory); absent for global errors. */
  file?: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

export interface TscSummary {
  errors: number;
  files: number;
  byFile: Array<{ file: string; errors: number }>;
  codes: Array<{ code: string; count: number; example: string }>;
}

// `src/a.ts(3,7): error TS2322: Type …` and `error TS5058: The specified path …` (pretty off).
const LOCATED = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const GLOBAL = /^error (TS\d+): (.*)$/;

/** Every `error TS` diagnostic in tsc's non-pretty output (continuation lines are skipped). */
export function parseTscOutput(output: string): TscDiagnostic[] {
  const diagnostics: TscDiagnostic[] = [];
  for (const rawLine of output.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    const located = LOCATED.exec(line);
    if (located) {
      diagnostics.push({
        file: located[1]!,
        line: Number(located[2]),
        column: Number(located[3]),
        code: located[4]!,
        message: located[5]!,
      });
      continue;
    }
    const global = GLOBAL.exec(line);
    if (global) diagnostics.push({ code: global[1]!, message: global[2]! });
  }
  return diagnostics;
}

/** Count per file (most first, then by name) and the commonest codes, each cut to `top`. */
export function summarizeDiagnostics(diagnostics: TscDiagnostic[], top = 10): TscSummary {
  const perFile = new Map<string, number>();
  const perCode = new Map<string, { count: number; example: string }>();
  for (const d of diagnostics) {
    const file = d.file ?? '(project)';
    perFile.set(file, (perFile.get(file) ?? 0) + 1);
    const entry = perCode.get(d.code) ?? { count: 0, example: d.message };
    entry.count++;
    perCode.set(d.code, entry);
  }
  const byCountThenName = <T extends { n: number; key: string }>(a: T, b: T) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const byFile = [...perFile]
    .map(([file, errors]) => ({ key: file, n: errors }))
    .sort(byCountThenName)
    .slice(0, top)
    .map(({ key, n }) => ({ file: sanitizeLine(key, 200), errors: n }));
  const codes = [...perCode]
    .map(([code, { count, example }]) => ({ key: code, n: count, example }))
    .sort(byCountThenName)
    .slice(0, top)
    .map(({ key, n, example }) => ({ code: key, count: n, example: sanitizeLine(example, 200) }));
  return { errors: diagnostics.length, files: perFile.size, byFile, codes };
}

/** The compiler to run: the configured one, else the project's own, else the one imos ships with. */
export function findTsc(tsconfigDir: string, configured: string | undefined, baseDir: string): { path?: string; problem?: string } {
  if (configured) {
    const resolved = path.resolve(baseDir, configured);
    return existsSync(resolved) ? { path: resolved } : { problem: `tsc not found: ${resolved}` };
  }
  for (let dir = tsconfigDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '.bin', 'tsc');
    if (existsSync(candidate)) return { path: candidate };
    if (path.dirname(dir) === dir) break;
  }
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('typescript/package.json');
    const bin = path.join(path.dirname(pkg), 'bin', 'tsc');
    if (existsSync(bin)) return { path: bin };
  } catch {
    // typescript is not installed next to imos either
  }
  return { problem: `no TypeScript compiler found: none in node_modules above ${tsconfigDir}; set tsc: to its path` };
}

/** A JavaScript launcher (`#!/usr/bin/env node`) runs with this Node, so a bare PATH does not matter. */
function isNodeScript(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(128);
      const n = readSync(fd, head, 0, head.length, 0);
      const first = head.subarray(0, n).toString('utf8').split('\n')[0]!;
      return first.startsWith('#!') && /\bnode\b/.test(first);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

interface PlannedProject {
  tsconfig: string;
  /** composite or incremental: tsc writes a .tsbuildinfo unless told where. */
  incremental: boolean;
}

type ProcessRun = (args: string[]) => Promise<Awaited<ReturnType<typeof runProcess>>>;

/**
 * The projects to type-check: the given one (unless it is only a list of references) and every
 * project it references, transitively, as `tsc --showConfig` resolves them (extends, comments).
 * A compiler that cannot show its configuration gets the given project alone, as before.
 */
async function projectsToCheck(tsconfig: string, run: ProcessRun): Promise<PlannedProject[] | 'aborted'> {
  const planned: PlannedProject[] = [];
  const visited = new Set<string>();
  const queue = [tsconfig];
  for (let guard = 0; queue.length > 0 && guard < 200; guard++) {
    const file = queue.shift()!;
    if (visited.has(file)) continue;
    visited.add(file);
    const shown = await run(['--showConfig', '-p', file]);
    if (shown.outcome === 'aborted') return 'aborted';
    let resolved: { compilerOptions?: Record<string, unknown>; files?: unknown[]; include?: unknown[]; references?: Array<{ path?: unknown }> } | null = null;
    try {
      resolved = shown.outcome === 'exited' && shown.exitCode === 0 ? JSON.parse(shown.stdout) : null;
    } catch {
      resolved = null;
    }
    if (!resolved || typeof resolved !== 'object') {
      planned.push({ tsconfig: file, incremental: false });
      continue;
    }
    const options = resolved.compilerOptions ?? {};
    const references = Array.isArray(resolved.references) ? resolved.references : [];
    const onlyReferences = references.length > 0 && (resolved.files ?? []).length === 0 && (resolved.include ?? []).length === 0;
    if (!onlyReferences) planned.push({ tsconfig: file, incremental: options.composite === true || options.incremental === true });
    const dir = statSync(file).isDirectory() ? file : path.dirname(file);
    for (const reference of references) {
      if (typeof reference?.path !== 'string') continue;
      const target = path.resolve(dir, reference.path);
      const next = existsSync(target) && statSync(target).isDirectory() ? path.join(target, 'tsconfig.json') : target;
      if (existsSync(next)) queue.push(next);
    }
  }
  return planned.length > 0 ? planned : [{ tsconfig, incremental: false }];
}

async function runTypescript(config: TypescriptCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const error = (message: string, metrics: Record<string, unknown> = {}): CheckOutcome => ({
    value: null,
    metrics,
    message: sanitizeLine(redactSecrets(message), 300),
    status: 'error',
  });
  const tsconfig = path.resolve(ctx.baseDir, config.project);
  if (!existsSync(tsconfig)) return error(`tsconfig not found: ${tsconfig}`);
  const projectDir = statSync(tsconfig).isDirectory() ? tsconfig : path.dirname(tsconfig);
  const tsc = findTsc(projectDir, config.tsc, ctx.baseDir);
  if (!tsc.path) return error(tsc.problem!);

  const viaNode = isNodeScript(tsc.path);
  const runTsc = (args: string[], maxOutputBytes = 32 * 1024 * 1024) =>
    runProcess({
      file: viaNode ? process.execPath : tsc.path!,
      args: viaNode ? [tsc.path!, ...args] : args,
      cwd: projectDir,
      env: { ...ctx.env, NO_COLOR: '1' },
      signal: ctx.signal,
      // Generous: a cut output would undercount the errors.
      maxOutputBytes,
    });
  const started = Date.now();
  const timedOut = () => {
    const elapsed = Date.now() - started;
    return error(`tsc ${elapsed >= ctx.timeoutMs * 0.9 ? `timed out after ${formatDuration(ctx.timeoutMs, 'measured')}` : `aborted after ${formatDuration(elapsed, 'measured')}`}`);
  };

  // A solution-style tsconfig (`files: []` + `references`) checks nothing by itself: every
  // referenced project is checked too. Composite / incremental projects get their .tsbuildinfo
  // in a scratch directory: a check never writes into the project it watches.
  const planned = await projectsToCheck(tsconfig, (args) => runTsc(args, 4 * 1024 * 1024));
  if (planned === 'aborted') return timedOut();
  const scratch = planned.some((p) => p.incremental) ? mkdtempSync(path.join(tmpdir(), 'imos-tsc-')) : null;
  const outputs: string[] = [];
  let result!: Awaited<ReturnType<typeof runTsc>>;
  let worstExit = 0;
  let truncated = false;
  try {
    for (const [i, project] of planned.entries()) {
      const args = ['--noEmit', '-p', project.tsconfig, '--pretty', 'false'];
      if (project.incremental && scratch) args.push('--tsBuildInfoFile', path.join(scratch, `${i}.tsbuildinfo`));
      result = await runTsc(args);
      if (result.outcome !== 'exited') break;
      outputs.push(result.stdout, result.stderr);
      truncated ||= result.truncated;
      if (result.killedBy !== undefined || result.exitCode !== 0) worstExit = Math.max(worstExit, result.exitCode ?? 0);
      if (result.killedBy !== undefined || (result.exitCode !== 0 && result.exitCode !== 1 && result.exitCode !== 2)) break;
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const durationMs = Date.now() - started;

  if (result.outcome === 'aborted') return timedOut();
  if (result.outcome === 'spawn-failed') {
    return error(`could not start tsc (${tsc.path}): ${result.spawnError?.message ?? 'unknown error'}`);
  }

  // A file reached from two projects is reported once.
  const seen = new Set<string>();
  const diagnostics = parseTscOutput(outputs.join('\n')).filter((d) => {
    const key = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.code}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const exit = result.killedBy !== undefined ? result.exitCode : worstExit;
  const located = diagnostics.filter((d) => d.file !== undefined);
  // 0: clean; 1 / 2: diagnostics present. Anything else, a signal, or a failure with nothing
  // countable means the compiler itself did not do its job.
  const crashed = result.killedBy !== undefined || (exit !== 0 && exit !== 1 && exit !== 2);
  if (crashed || (exit !== 0 && diagnostics.length === 0)) {
    const why = result.killedBy ? `killed by ${result.killedBy}` : `exit ${exit}`;
    const line = lastMeaningfulLine(result.stderr) ?? lastMeaningfulLine(result.stdout);
    return error(`tsc failed (${why})${line ? `: ${line}` : ''}`);
  }
  if (located.length === 0 && diagnostics.length > 0) {
    // Only project-level errors (bad tsconfig, no inputs): nothing was type-checked.
    const first = diagnostics[0]!;
    return error(`tsc could not check the project: ${first.code}: ${first.message}`);
  }

  const full = summarizeDiagnostics(diagnostics, Number.POSITIVE_INFINITY);
  const summary = { ...full, byFile: full.byFile.slice(0, config.top), codes: full.codes.slice(0, config.top) };
  let message: string;
  if (summary.errors === 0) {
    message = 'no errors';
  } else {
    const codes = full.codes.slice(0, 3).map((c) => `${c.code} ×${c.count}`);
    if (full.codes.length > 3) codes.push('…');
    message = `${plural(summary.errors, 'error')} in ${plural(summary.files, 'file')} (${codes.join(', ')})`;
  }
  if (truncated) message += ' — tsc printed more than 32 MiB: the count is a lower bound';
  return {
    value: summary.errors,
    metrics: { errors: summary.errors, files: summary.files, duration: durationMs },
    message: sanitizeLine(message, 300),
    detail: {
      ...summary,
      tsconfig,
      ...(planned.length > 1 ? { projects: planned.map((p) => path.relative(projectDir, p.tsconfig) || '.') } : {}),
      tsc: tsc.path,
      durationMs,
      truncated,
    },
  };
}

export const typescriptCheck: CheckKind<TypescriptCheckConfig> = {
  kind: 'typescript',
  description: 'Type-checks a TypeScript project with its own tsc; counts errors per file and code',
  alertType: 'TYPESCRIPT_ERRORS',
  metrics: {
    errors: { unit: 'count', description: 'number of `error TS` diagnostics' },
    files: { unit: 'count', description: 'files with at least one error' },
    duration: { unit: 'ms', description: 'how long tsc ran' },
  },
  schema: schema as unknown as z.ZodType<TypescriptCheckConfig>,
  target: () => THIS_MACHINE,
  defaultExpect: ['errors == 0'],
  run: async (config, ctx) => {
    try {
      return await runTypescript(config, ctx);
    } catch (error) {
      return { value: null, metrics: {}, message: sanitizeLine(`typescript check failed: ${String(error)}`), status: 'error' };
    }
  },
};
