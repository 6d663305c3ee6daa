// Run one check once: its timeout aborts it and counts as an error, and nothing a kind does
// (throwing, hanging, ignoring the signal) escapes or delays the engine.
import { performance } from 'node:perf_hooks';
import { getCheckKind } from '../../checks/registry.js';
import type { CheckOutcome, ResourceRegistry } from '../../checks/types.js';
import type { CheckConfig } from '../config/types.js';
import { formatDuration } from '../text/durations.js';
import type { CheckResult } from '../model.js';
import { redactDeep, redactSecrets } from '../text/redact.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { Clock } from '../time/clock.js';
import { onAbort } from './abort-fanout.js';
import { judgeOutcome, scalarMetrics } from './evaluate.js';

export interface RunDependencies {
  clock: Clock;
  baseDir: string;
  env: NodeJS.ProcessEnv;
  resources: ResourceRegistry;
  matrixTables?: () => Promise<string[]>;
  /** Aborts every running check (shutdown). */
  signal?: AbortSignal;
  /** Secret values to scrub from messages (tokens, passwords). */
  secrets?: string[];
}

/** A fresh result (runStatus = status; the caller applies the consecutive-run thresholds). */
export async function runCheck(check: CheckConfig, deps: RunDependencies): Promise<CheckResult> {
  const started = performance.now();
  const at = new Date(deps.clock.now()).toISOString();
  const finish = (outcome: CheckOutcome, alertTypeDefault?: string): CheckResult => {
    const verdict = judgeOutcome(check, outcome);
    return {
      id: check.id,
      system: check.system,
      kind: check.kind,
      status: verdict.status,
      runStatus: verdict.status,
      value: typeof outcome.value === 'string' ? sanitizeLine(redactSecrets(outcome.value, deps.secrets), 120) : outcome.value,
      metrics: redactDeep(scalarMetrics(outcome.metrics), deps.secrets ?? []),
      message: redactSecrets(verdict.message, deps.secrets),
      // The detail is stored and shown (a command line, a URL, output): no secret in it either.
      detail: outcome.detail === undefined ? undefined : redactDeep(outcome.detail, deps.secrets ?? []),
      durationMs: Math.round(performance.now() - started),
      at,
      alertType: outcome.alertType ?? alertTypeDefault,
    };
  };

  const kind = getCheckKind(check.kind);
  if (!kind) return finish({ value: null, metrics: {}, status: 'error', message: `unknown check kind "${check.kind}"` });

  const controller = new AbortController();
  let timer: unknown;
  let stopWaiting = () => {};
  const aborted = new Promise<CheckOutcome>((resolve) => {
    timer = deps.clock.setTimeout(() => {
      controller.abort(new Error('timeout'));
      resolve({ value: null, metrics: {}, status: 'error', message: `timed out after ${formatDuration(check.timeoutMs, 'exact')}` });
    }, check.timeoutMs);
    // One listener on the shared shutdown signal for all runs (abort-fanout.ts), not one per run.
    if (deps.signal) {
      stopWaiting = onAbort(deps.signal, () => {
        controller.abort(new Error('imos is shutting down'));
        resolve({ value: null, metrics: {}, status: 'error', message: 'aborted: imos is shutting down' });
      });
    }
  });

  try {
    // Shut down before it started: the kind is not run at all.
    if (controller.signal.aborted) return finish(await aborted, kind.alertType);
    const running = Promise.resolve()
      .then(() =>
        kind.run(check.options, {
          signal: controller.signal,
          timeoutMs: check.timeoutMs,
          baseDir: deps.baseDir,
          env: deps.env,
          now: () => deps.clock.now(),
          resources: deps.resources,
          matrixTables: deps.matrixTables,
        }),
      )
      .catch(
        (error: unknown): CheckOutcome => ({
          value: null,
          metrics: {},
          status: 'error',
          message: `check failed: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    const outcome = await Promise.race([running, aborted]);
    return finish(outcome, kind.alertType);
  } finally {
    deps.clock.clearTimeout(timer);
    stopWaiting();
  }
}

/** What a check's runs load (its kind's `target`), for the scheduler's per-target limits. */
export function checkTarget(check: CheckConfig): string {
  try {
    return getCheckKind(check.kind)?.target?.(check.options) ?? check.kind;
  } catch {
    return check.kind;
  }
}
