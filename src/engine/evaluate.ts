// Pure rules of the check engine: a kind's outcome → the run's status (thresholds and
// expectations, one mechanism for every kind), and a run → the check's stored state (failure /
// success thresholds, bounded history).
import type { CheckOutcome } from '../../checks/types.js';
import { describeCondition, evaluateCondition } from '../conditions/index.js';
import type { CheckConfig } from '../config/types.js';
import {
  statusRank,
  type CheckRecord,
  type CheckResult,
  type HistoryPoint,
  type CheckStatus,
  type MetricValue,
} from '../model.js';
import { sanitizeLine } from '../text/sanitize.js';

export interface RunVerdict {
  status: CheckStatus;
  message: string;
}

/** Map an outcome to a status: the kind's own verdict, else the worst matching threshold / failed expectation. */
export function judgeOutcome(check: CheckConfig, outcome: CheckOutcome): RunVerdict {
  const message = sanitizeLine(outcome.message, 300);
  if (outcome.status === 'error') return { status: 'error', message };
  let status: CheckStatus = outcome.status ?? 'ok';
  const reasons: string[] = [];
  for (const { severity, conditions } of check.thresholds) {
    for (const condition of conditions) {
      const result = evaluateCondition(condition, outcome.metrics);
      if (result.holds) {
        if (statusRank(severity) > statusRank(status)) status = severity;
        reasons.push(`${severity}: ${describeCondition(condition, result.actual)}`);
        break;
      }
    }
  }
  const failed = check.expect
    .map((condition) => ({ condition, result: evaluateCondition(condition, outcome.metrics) }))
    .filter(({ result }) => !result.holds);
  if (failed.length > 0) {
    if (statusRank(check.severity) > statusRank(status)) status = check.severity;
    reasons.push(`expected ${failed.map(({ condition, result }) => describeCondition(condition, result.actual)).join(', ')}`);
  }
  if (reasons.length === 0) return { status, message };
  return { status, message: sanitizeLine(`${message}${message ? ' — ' : ''}${reasons.join('; ')}`, 400) };
}

/** Only scalar metrics are stored; nested objects (an HTTP body) stay in memory for conditions. */
export function scalarMetrics(metrics: Record<string, unknown>): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'string') out[key] = sanitizeLine(value, 200);
  }
  return out;
}

export function emptyCheckRecord(id: string): CheckRecord {
  return { id, last: null, failures: 0, successes: 0, status: 'pending', since: null };
}

const failing = (status: CheckStatus) => status !== 'ok' && status !== 'pending';

/** The point a run adds to its check's history (the run's own status, before thresholds). */
export function historyPoint(run: CheckResult): HistoryPoint {
  return { at: run.at, status: run.runStatus, value: run.value, durationMs: run.durationMs };
}

/**
 * Fold one run into the stored state. The effective status turns to failing only after
 * `failureThreshold` failing runs in a row, and back to ok after `successThreshold` passing runs;
 * while failing it follows the latest failing run's severity.
 */
export function applyRun(
  previous: Readonly<CheckRecord> | undefined,
  run: CheckResult,
  check: Pick<CheckConfig, 'failureThreshold' | 'successThreshold'>,
): CheckRecord {
  const state = previous ?? emptyCheckRecord(run.id);
  const runFailed = failing(run.runStatus);
  const failures = runFailed ? state.failures + 1 : 0;
  const successes = runFailed ? 0 : state.successes + 1;
  let status = state.status;
  if (failing(state.status)) {
    if (runFailed) status = run.runStatus;
    else if (successes >= check.successThreshold) status = 'ok';
  } else if (runFailed) {
    if (failures >= check.failureThreshold) status = run.runStatus;
    else if (state.status === 'pending') status = 'pending';
  } else {
    status = 'ok';
  }
  return {
    id: run.id,
    last: { ...run, status },
    failures,
    successes,
    status,
    since: status === state.status && state.since ? state.since : run.at,
  };
}
