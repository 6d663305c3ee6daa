// The lease holder's work after the checks: alerts, escalation, notifications, and the matrix's
// completion history. Wired here so every face (console, daemon, `imos check`) does the same.
// The notification senders (Slack, SMTP) load lazily: the first frame does not pay for them.
import fs from 'node:fs';
import type { ImosConfig } from '../config/types.js';
import type { CheckResult } from '../model.js';
import type { Fence, Store } from '../store/types.js';
import { systemClock, type Clock } from '../time/clock.js';
import type { EnginePipeline } from './engine.js';

/** How often the holder looks for resolved alerts to archive. */
const ARCHIVE_EVERY_MS = 3_600_000;

export interface PipelineOptions {
  clock?: Clock;
  log?: (line: string) => void;
  /** How often the matrix is re-read for the completion history. */
  matrixEveryMs?: number;
}

export async function buildPipeline(config: ImosConfig, store: Store, options: PipelineOptions = {}): Promise<EnginePipeline> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const [alerts, notify] = await Promise.all([import('../alerts/index.js'), import('../notify/index.js')]);
  const notifier = notify.createNotifier(store, config, clock, {
    onOutcome: (o) => {
      if (o.result !== 'sent') log(`notify ${o.channel} ${o.kind} ${o.alertId ?? ''}: ${o.result}${o.error ? ` (${o.error})` : ''}`);
    },
  });
  const recordCompletion = matrixRecorder(config, store, options.matrixEveryMs ?? 60_000, log);
  let lastArchiveAt = -Infinity;

  return {
    async afterResults(results, nowMs, fence) {
      await alerts.processResults(store, config, results, nowMs, { fence });
      // Not awaited: a Slack that does not answer (10 s per message) must not hold up the next run
      // of the check. Flushes are shared and serialised; the tick and close() wait for them.
      notifier.flush(nowMs, fence).catch((error: unknown) => log(`notify: ${error instanceof Error ? error.message : String(error)}`));
      await recordTableEvidence(config, store, results, nowMs, log);
    },
    async onTick(nowMs, fence) {
      await alerts.processTime(store, config, nowMs, { fence });
      // Not awaited either: the next tick escalates on time while a send waits on its peer.
      notifier.flush(nowMs, fence).catch((error: unknown) => log(`notify: ${error instanceof Error ? error.message : String(error)}`));
      await recordCompletion(nowMs, fence);
      if (nowMs - lastArchiveAt >= ARCHIVE_EVERY_MS) {
        lastArchiveAt = nowMs;
        const moved = await alerts.archiveResolvedAlerts(store, config.retention.resolvedAlertsMs, nowMs, { fence });
        if (moved > 0) log(`archived ${moved} resolved alert${moved === 1 ? '' : 's'}`);
      }
    },
    close: () => notifier.close(),
  };
}

/** Re-reads the matrix when it changed (or every `everyMs`) and records a completion snapshot. */
function matrixRecorder(config: ImosConfig, store: Store, everyMs: number, log: (line: string) => void) {
  let lastAt = -Infinity;
  let lastMtime = 0;
  return async (nowMs: number, fence: Fence): Promise<void> => {
    if (!config.matrix) return;
    let mtime = 0;
    try {
      mtime = fs.statSync(config.matrix).mtimeMs;
    } catch {
      return;
    }
    if (mtime === lastMtime && nowMs - lastAt < everyMs) return;
    lastAt = nowMs;
    lastMtime = mtime;
    try {
      const [{ readMatrixFile }, { recordSnapshot }] = await Promise.all([import('../plan/matrix-file.js'), import('../plan/snapshots.js')]);
      const loaded = await readMatrixFile(config.matrix);
      await recordSnapshot(store, loaded.matrix, nowMs, { fence });
    } catch (error) {
      log(`matrix: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** A `tables` check that finds tables present may mark their matrix items done (`plan.auto_update`). */
async function recordTableEvidence(config: ImosConfig, store: Store, results: CheckResult[], nowMs: number, log: (line: string) => void) {
  if (!config.matrix) return;
  for (const result of results) {
    const detail = result.detail as { expected?: string[]; missing?: string[] } | undefined;
    if (result.kind !== 'tables' || !detail?.expected) continue;
    const missing = new Set(detail.missing ?? []);
    const present = detail.expected.filter((t) => !missing.has(t));
    try {
      const { applyTableEvidence } = await import('../plan/evidence.js');
      const changed = await applyTableEvidence(config, store, present, nowMs, result.id);
      if (changed.length > 0) log(`matrix: marked ${changed.join(', ')} done (tables present)`);
    } catch (error) {
      log(`matrix evidence: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Tables named in the integration matrix, for `tables: from-matrix`. */
export function matrixTablesOf(config: ImosConfig): (() => Promise<string[]>) | undefined {
  if (!config.matrix) return undefined;
  const file = config.matrix;
  return async () => {
    const { matrixTableNames } = await import('../plan/matrix-file.js');
    return matrixTableNames(file);
  };
}
