// The one small interface every check kind implements. A kind knows how to probe one sort of
// target and report named metrics; it does not decide severities: the engine maps metrics to a
// status with the check's thresholds / expectations (one mechanism for every kind).
// Kinds import from src/ only types and the leaf src/text/ (sanitising, redaction, secret names,
// durations), nothing from views/; scripts/check-imports.mjs holds them to it.
import type * as z from 'zod';
import type { MetricValue, Severity } from '../src/model.js';

/** How a metric is measured, so that `500ms`, `5s` and `80%` in a condition mean the right thing. */
export type MetricUnit = 'ms' | 's' | 'percent' | 'count' | 'text' | 'bool' | 'object';

export interface MetricSpec {
  unit: MetricUnit;
  description: string;
}

/** Pooled resources shared by checks (e.g. one pg pool per database URL), closed on shutdown. */
export interface ResourceRegistry {
  /** The existing resource under `key`, or a new one from `create`. */
  get<T>(key: string, create: () => T, dispose: (resource: T) => Promise<void> | void): T;
  /** Drop (and dispose) one resource, e.g. a pool whose server went away. */
  drop(key: string): Promise<void>;
  closeAll(): Promise<void>;
}

export interface CheckContext {
  /** Aborted when the check's timeout passes or the engine shuts down. Kinds must honour it. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Directory of the configuration file: relative paths in a check resolve against it. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  now(): number;
  resources: ResourceRegistry;
  /** Tables listed in the integration matrix (for `tables: from-matrix`), when a matrix exists. */
  matrixTables?(): Promise<string[]>;
}

export interface CheckOutcome {
  /** The headline number or text (shown in lists, kept in history). */
  value: MetricValue;
  /**
   * Named metrics the conditions read. May hold nested objects (an HTTP `body`): conditions reach
   * into them with dotted paths; only scalar metrics are stored.
   */
  metrics: Record<string, unknown>;
  message: string;
  /** Kind-specific detail for the console (missing tables, errors by file, pending migrations). */
  detail?: unknown;
  /**
   * Set only when the kind itself decides: `error` when the check could not run at all (bad
   * target, timeout), or a severity when the failure is the kind's own (an unreachable database is
   * CRITICAL). Otherwise the engine derives the status from the thresholds.
   */
  status?: 'error' | Severity;
  /** Overrides the kind's alert type for this outcome (e.g. DRIFT vs PENDING_MIGRATIONS). */
  alertType?: string;
}

export interface CheckKind<C = Record<string, unknown>> {
  kind: string;
  description: string;
  /** Metrics the kind reports; conditions may only name these (plus `body.*` style paths of object metrics). */
  metrics: Record<string, MetricSpec>;
  /** The alert type of a failing check of this kind, e.g. TYPESCRIPT_ERRORS. */
  alertType: string;
  /** Kind-specific keys (besides id, system, kind, every, timeout, thresholds, …). */
  schema: z.ZodType<C>;
  /**
   * What a run loads (an HTTP host, a database server, this machine): runs against one target
   * share a concurrency limit, so a slow target never holds up the checks of others. Checks with
   * the same target must return the same text. Default: the kind's name.
   */
  target?(config: C): string;
  /** Conditions the kind applies when the config names none (e.g. http: status == 200). */
  defaultExpect?: string[];
  run(config: C, ctx: CheckContext): Promise<CheckOutcome>;
}
