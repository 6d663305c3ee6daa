// Turning database results and failures into check outcomes, the same way for every kind.
import { sanitizeLine } from '../../src/text/sanitize.js';
import type { CheckOutcome } from '../types.js';
import { CONNECTION_ALERT, type PgFailure } from './errors.js';
import { scrub, type PgTarget } from './target.js';

/** Connection failure → CRITICAL with SYSTEM_CONNECTION_FAILURE; anything else → error. */
export function failureOutcome(failure: PgFailure, targets: PgTarget | PgTarget[], prefix = ''): CheckOutcome {
  return {
    value: null,
    metrics: {},
    message: sanitizeLine(scrub(prefix + failure.message, targets), 300),
    status: failure.connection ? 'CRITICAL' : 'error',
    ...(failure.connection ? { alertType: CONNECTION_ALERT } : {}),
    detail: { failure: failure.kind, ...(failure.code ? { code: failure.code } : {}) },
  };
}

/** A check that could not run for a reason of its own (bad answer, missing matrix). */
export function errorOutcome(message: string, targets: PgTarget | PgTarget[] = [], detail?: unknown): CheckOutcome {
  return {
    value: null,
    metrics: {},
    message: sanitizeLine(scrub(message, targets), 300),
    status: 'error',
    ...(detail === undefined ? {} : { detail }),
  };
}

/** Last line of defence: `run` never throws, and never leaks a password in what it returns. */
export async function guardRun(work: () => Promise<CheckOutcome>, targets: () => PgTarget[]): Promise<CheckOutcome> {
  try {
    const outcome = await work();
    return { ...outcome, message: scrub(outcome.message, targets()) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return errorOutcome(`check failed unexpectedly: ${text}`, targets());
  }
}

/** pg gives bigint and numeric as strings: a finite number, or null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Round for display and storage: 3 decimals at most. */
export function round(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Seconds from a number, a numeric string, or a PostgreSQL interval (pg parses it to parts). */
export function toSeconds(value: unknown): number | null {
  const n = toNumber(value);
  if (n !== null) return n;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const parts = value as Record<string, unknown>;
    const keys = ['years', 'months', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'];
    if (!Object.keys(parts).every((k) => keys.includes(k))) return null;
    const get = (k: string) => (typeof parts[k] === 'number' ? (parts[k] as number) : 0);
    return (
      get('years') * 365 * 86_400 +
      get('months') * 30 * 86_400 +
      get('days') * 86_400 +
      get('hours') * 3600 +
      get('minutes') * 60 +
      get('seconds') +
      get('milliseconds') / 1000
    );
  }
  return null;
}
