// Prometheus text exposition of the stored state: checks by status, open alerts by severity,
// each check's status / duration / latency, the outbox, the poller.
import { CHECK_STATUSES, SEVERITIES, statusRank } from '../model.js';
import type { StatusReport } from '../status.js';

type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sample(name: string, labels: Labels, value: number): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return `${name}${l ? `{${l}}` : ''} ${Number.isFinite(value) ? value : 'NaN'}`;
}

class Exposition {
  private lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Labels, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.lines.push(sample(name, labels, value));
  }
  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

export function metricsText(status: StatusReport, outbox: Record<'pending' | 'sent' | 'failed', number>): string {
  const out = new Exposition();
  const checks = status.systems.flatMap((s) => s.checks);
  out.family(
    'imos_checks',
    'gauge',
    'Checks by current status.',
    CHECK_STATUSES.map((s) => [{ status: s }, status.overview.checks[s] ?? 0]),
  );
  out.family(
    'imos_open_alerts',
    'gauge',
    'Open (unresolved) alerts by severity.',
    SEVERITIES.map((s) => [{ severity: s }, status.overview.openAlerts[s] ?? 0]),
  );
  out.family(
    'imos_check_status',
    'gauge',
    'Status rank of each check: 0 ok, 1 pending, 2 MEDIUM, 3 HIGH, 4 error, 5 CRITICAL.',
    checks.map((c) => [{ check: c.id, system: c.system, status: c.status }, statusRank(c.status)]),
  );
  out.family(
    'imos_check_duration_seconds',
    'gauge',
    'How long the last run of each check took.',
    checks.filter((c) => c.durationMs !== null).map((c) => [{ check: c.id, system: c.system }, c.durationMs! / 1000]),
  );
  out.family(
    'imos_check_latency_seconds',
    'gauge',
    'Latency reported by the last run of checks that measure one (HTTP, database).',
    checks
      .filter((c) => typeof c.metrics.latency === 'number')
      .map((c) => [{ check: c.id, system: c.system }, (c.metrics.latency as number) / 1000]),
  );
  out.family(
    'imos_outbox_messages',
    'gauge',
    'Notifications in the outbox by state.',
    (['pending', 'sent', 'failed'] as const).map((s) => [{ state: s }, outbox[s]]),
  );
  out.family('imos_poller_active', 'gauge', 'Whether a process holds the poller lease.', [[{}, status.poller ? 1 : 0]]);
  if (status.lastPollAt) {
    out.family('imos_last_poll_timestamp_seconds', 'gauge', 'When the poller last ran checks.', [
      [{}, Date.parse(status.lastPollAt) / 1000],
    ]);
  }
  return out.toString();
}
