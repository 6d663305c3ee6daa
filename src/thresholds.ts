// A check that failed fewer runs in a row than its `failure_threshold` has not alerted yet: its
// stored status is still ok or pending while `imos check` shows the run's own CRITICAL. Every face
// says the same words for it, so that check and status no longer seem to disagree.
import type { CheckConfig } from './config/types.js';
import type { CheckRecord, CheckStatus } from './model.js';

export interface BelowThreshold {
  /** Failing runs in a row so far. */
  runs: number;
  /** The check's failure_threshold. */
  threshold: number;
  /** The last run's own status (what `imos check` showed). */
  runStatus: CheckStatus;
}

const failing = (status: CheckStatus) => status !== 'ok' && status !== 'pending';

/** The failing runs a check has had short of alerting; null when it is not in that state. */
export function belowThreshold(
  record: Pick<CheckRecord, 'status' | 'failures' | 'last'> | undefined,
  check: Pick<CheckConfig, 'failureThreshold'>,
): BelowThreshold | null {
  if (!record?.last || failing(record.status)) return null;
  if (record.failures <= 0 || record.failures >= check.failureThreshold) return null;
  return { runs: record.failures, threshold: check.failureThreshold, runStatus: record.last.runStatus };
}

/** "failing 1 of 2 before alerting" */
export function belowThresholdText(b: BelowThreshold): string {
  return `failing ${b.runs} of ${b.threshold} before alerting`;
}
