// `imos status`: the stored state — checks by system, open alerts, who holds the poller lease.
import type { Command } from 'commander';
import { readStatus, type StatusReport } from '../../status.js';
import { withContext } from '../context.js';
import { belowThresholdText } from '../../thresholds.js';
import { STATUS_GLYPH, age, formatValue, table } from '../format.js';
import { jsonPieces } from '../../text/json-pieces.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('print the stored state: checks by system, open alerts, the poller holder')
    .option('--json', 'print JSON')
    .action(
      withContext(async (ctx, opts: { json?: boolean }) => {
        const report = await readStatus(ctx.config, ctx.store, ctx.clock.now());
        // In pieces: on 10,000 checks the JSON is 3.7 MB (src/text/json-pieces.ts).
        ctx.outPieces(opts.json || ctx.json ? jsonPieces(report) : statusPieces(report, ctx.clock.now()));
      }),
    );
}

/** The status as text, in pieces: the summary, then each system's table. */
export function* statusPieces(report: StatusReport, nowMs = Date.now()): Generator<string> {
  const poller = report.poller
    ? `poller: ${report.poller.role} pid ${report.poller.pid} on ${report.poller.host} (${report.poller.user}) since ${age(report.poller.since, nowMs)}`
    : 'poller: nobody holds the lease (start `imos` or `imos daemon`)';
  const a = report.overview.openAlerts;
  yield [
    `${report.project} — ${report.overview.systems.healthy}/${report.overview.systems.total} systems healthy`,
    `${poller}; last poll ${age(report.lastPollAt, nowMs)}${report.paused ? '; PAUSED' : ''}`,
    `open alerts: ${a.CRITICAL} CRITICAL, ${a.HIGH} HIGH, ${a.MEDIUM} MEDIUM`,
  ].join('\n');
  for (const system of report.systems) {
    yield `\n\n${STATUS_GLYPH[system.status]} ${system.id} (${system.name})${system.leader ? ` — leader ${system.leader}` : ''}`;
    if (system.checks.length === 0) continue;
    yield '\n' +
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
      );
  }
  if (report.alerts.length > 0) {
    yield '\n\nOpen alerts:\n' +
      table(
        ['ID', 'SEVERITY', 'STATE', 'SYSTEM', 'AGE', 'MESSAGE'],
        report.alerts.map((al) => [al.id, al.severity, al.state, al.system, age(al.openedAt, nowMs), al.message]),
      );
  }
}
