// `imos status`: the stored state — checks by system, open alerts, who holds the poller lease.
import type { Command } from 'commander';
import { readStatus, type StatusReport } from '../../status.js';
import { withContext } from '../context.js';
import { belowThresholdText } from '../../thresholds.js';
import { STATUS_GLYPH, age, formatValue, table } from '../format.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('print the stored state: checks by system, open alerts, the poller holder')
    .option('--json', 'print JSON')
    .action(
      withContext(async (ctx, opts: { json?: boolean }) => {
        const report = await readStatus(ctx.config, ctx.store, ctx.clock.now());
        ctx.out(opts.json || ctx.json ? JSON.stringify(report, null, 2) : formatStatus(report, ctx.clock.now()));
      }),
    );
}

export function formatStatus(report: StatusReport, nowMs = Date.now()): string {
  const lines: string[] = [];
  const poller = report.poller
    ? `poller: ${report.poller.role} pid ${report.poller.pid} on ${report.poller.host} (${report.poller.user}) since ${age(report.poller.since, nowMs)}`
    : 'poller: nobody holds the lease (start `imos` or `imos daemon`)';
  lines.push(`${report.project} — ${report.overview.systems.healthy}/${report.overview.systems.total} systems healthy`);
  lines.push(`${poller}; last poll ${age(report.lastPollAt, nowMs)}${report.paused ? '; PAUSED' : ''}`);
  const a = report.overview.openAlerts;
  lines.push(`open alerts: ${a.CRITICAL} CRITICAL, ${a.HIGH} HIGH, ${a.MEDIUM} MEDIUM`);
  for (const system of report.systems) {
    lines.push('', `${STATUS_GLYPH[system.status]} ${system.id} (${system.name})${system.leader ? ` — leader ${system.leader}` : ''}`);
    if (system.checks.length === 0) continue;
    lines.push(
      table(
        ['  ', 'CHECK', 'STATUS', 'VALUE', 'LAST RUN', 'MESSAGE'],
        system.checks.map((c) => [
          '  ' + STATUS_GLYPH[c.status],
          c.id,
          // Not "pending" or "ok" for a check that is failing short of its threshold: say so.
          c.failing ? `${belowThresholdText(c.failing)} (${c.failing.runStatus})` : c.status,
          formatValue(c.value),
          age(c.at, nowMs),
          c.message,
        ]),
      ),
    );
  }
  if (report.alerts.length > 0) {
    lines.push('', 'Open alerts:');
    lines.push(
      table(
        ['ID', 'SEVERITY', 'STATE', 'SYSTEM', 'AGE', 'MESSAGE'],
        report.alerts.map((al) => [al.id, al.severity, al.state, al.system, age(al.openedAt, nowMs), al.message]),
      ),
    );
  }
  return lines.join('\n');
}
