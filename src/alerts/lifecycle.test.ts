import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../model.js';
import type { CoreDraft } from '../store/core-draft.js';
import { applyResults, applyTime, alertTypeOf, alertSeverityOf, resolveOrphans, rootCauseFor } from './lifecycle.js';
import { acknowledgeInCore, findAlert, snoozeInCore } from './transitions.js';
import { activeMaintenance } from './maintenance.js';
import { checkConfig, emptyCore, hotelConfig, HOUR, MIN, result, T0 } from '../../test/alerts/fixtures.js';

const at = (ms: number) => new Date(ms).toISOString();
const rowsOf = (core: CoreDraft) => core.outbox.map((r) => `${r.kind}:${r.channel}:${r.to.join('+')}`);
const actions = (audit: AuditEntry[]) => audit.map((e) => `${e.action}:${e.target}`);

describe('status → alert', () => {
  it.each([
    ['ok', null],
    ['pending', null],
    ['MEDIUM', 'MEDIUM'],
    ['HIGH', 'HIGH'],
    ['CRITICAL', 'CRITICAL'],
    ['error', 'HIGH'],
  ] as const)('%s opens %s', (status, severity) => {
    expect(alertSeverityOf(status)).toBe(severity);
  });

  it.each([
    [{ status: 'HIGH', alertType: 'PENDING_MIGRATIONS' }, 'PENDING_MIGRATIONS'],
    [{ status: 'error', alertType: 'PENDING_MIGRATIONS' }, 'CHECK_ERROR'],
    [{ status: 'error', alertType: 'SYSTEM_CONNECTION_FAILURE' }, 'SYSTEM_CONNECTION_FAILURE'],
    [{ status: 'CRITICAL', alertType: undefined, kind: 'sync-lag' }, 'SYNC_LAG_FAILURE'],
  ] as const)('%o has type %s', (extra, type) => {
    expect(alertTypeOf(result('c', 'hotel-pms', extra.status, { ...extra }))).toBe(type);
  });
});

describe('open and dedupe', () => {
  it('100 failures are one alert that counts them, notified once', () => {
    const core = emptyCore();
    const config = hotelConfig();
    let audit: AuditEntry[] = [];
    for (let i = 0; i < 100; i++) {
      audit = audit.concat(applyResults(core, [result('pending-migrations', 'hotel-pms', 'HIGH', { value: i })], config, T0 + i * 30_000));
    }
    expect(core.alerts).toHaveLength(1);
    const alert = core.alerts[0]!;
    expect(alert).toMatchObject({
      id: 'A1',
      fingerprint: 'pending-migrations:PENDING_MIGRATIONS',
      state: 'open',
      severity: 'HIGH',
      count: 100,
      value: 99,
      openedAt: at(T0),
      lastSeenAt: at(T0 + 99 * 30_000),
      respondBy: at(T0 + HOUR),
      nextEscalationAt: at(T0 + 24 * HOUR),
      notified: ['slack'],
    });
    // HIGH: slack + console; the console is not an outbox channel. The leader of hotel-pms is luna.
    expect(rowsOf(core)).toEqual(['alert:slack:luna']);
    expect(actions(audit)).toEqual(['open:A1']);
    expect(core.kv('nextAlertNumber')).toBe(2);
  });

  it('ids count up; a failure after resolution opens a new alert', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('m', 'hotel-pms', 'HIGH')], config, T0);
    applyResults(core, [result('m', 'hotel-pms', 'ok')], config, T0 + MIN);
    applyResults(core, [result('m', 'hotel-pms', 'HIGH')], config, T0 + 2 * MIN);
    expect(core.alerts.map((a) => `${a.id}:${a.state}`)).toEqual(['A1:resolved', 'A2:open']);
  });

  it('MEDIUM goes to the console only: no outbox rows', () => {
    const core = emptyCore();
    applyResults(core, [result('m', 'hotel-pms', 'MEDIUM')], hotelConfig(), T0);
    expect(core.alerts[0]!.severity).toBe('MEDIUM');
    expect(core.outbox).toEqual([]);
  });

  it('channels that are not configured get no rows', () => {
    const core = emptyCore();
    applyResults(core, [result('m', 'hotel-pms', 'CRITICAL')], hotelConfig({ channels: { email: { from: 'x@example.com' } } }), T0);
    expect(rowsOf(core)).toEqual(['alert:email:luna']);
  });

  it('outside text is sanitised', () => {
    const core = emptyCore();
    applyResults(core, [result('m', 'hotel-pms', 'HIGH', { message: 'bad\u001b[2J\u001b]0;title\u0007 thing' })], hotelConfig(), T0);
    expect(core.alerts[0]!.message).toBe('bad thing');
  });
});

describe('the whole story of a CRITICAL alert (driven clock)', () => {
  it('open → severity change → escalate to manager, then owner → ack stops it → ack timeout resumes → recover', () => {
    const core = emptyCore();
    const config = hotelConfig();
    const check = (status: 'HIGH' | 'CRITICAL' | 'ok', ms: number) =>
      applyResults(core, [result('reservation-sync', 'hotel-pms', status, { alertType: 'DATA_SYNC_FAILURE', kind: 'sync-lag' })], config, ms);

    // The table: [minute, what happens, expected audit actions, expected new outbox rows]
    type Step = [number, () => AuditEntry[], string[], string[]];
    const alert = () => core.alerts[0]!;
    const steps: Step[] = [
      [0, () => check('HIGH', T0), ['open:A1'], ['alert:slack:luna']],
      [5, () => check('CRITICAL', T0 + 5 * MIN), ['severity:A1'], ['severity:slack:luna', 'alert:email:luna']],
      [20, () => applyTime(core, config, T0 + 20 * MIN), [], []],
      // First step is due 30 min after the severity rose (at minute 35).
      [34, () => applyTime(core, config, T0 + 34 * MIN), ['breach:A1'], []],
      [35, () => applyTime(core, config, T0 + 35 * MIN), ['escalate:A1'], ['escalation:slack:manager', 'escalation:email:manager']],
      [40, () => check('CRITICAL', T0 + 40 * MIN), [], []],
      [65, () => applyTime(core, config, T0 + 65 * MIN), ['escalate:A1'], ['escalation:slack:owner', 'escalation:email:owner']],
      [70, () => acknowledgeInCore(core, config, alert(), { actor: 'luna', note: 'on it', nowMs: T0 + 70 * MIN }).audit, ['ack:A1'], ['ack:slack:luna']],
      // End of the chain and acknowledged: nothing more for two hours.
      [180, () => applyTime(core, config, T0 + 180 * MIN), [], []],
      // Ack timeout (2 h): the acknowledgement went stale; past the chain's end the last level is paged again.
      [190, () => applyTime(core, config, T0 + 190 * MIN), ['ack-timeout:A1'], ['escalation:slack:owner', 'escalation:email:owner']],
      [200, () => applyTime(core, config, T0 + 200 * MIN), [], []],
      [210, () => check('ok', T0 + 210 * MIN), ['auto-resolve:A1'], ['resolved:slack:luna+manager+owner', 'resolved:email:luna+manager+owner']],
      [220, () => check('ok', T0 + 220 * MIN), [], []],
    ];
    for (const [minute, act, wantAudit, wantRows] of steps) {
      const before = core.outbox.length;
      const audit = act();
      expect({ minute, audit: actions(audit) }).toEqual({ minute, audit: wantAudit });
      expect({ minute, rows: rowsOf(core).slice(before) }).toEqual({ minute, rows: wantRows });
    }
    expect(alert()).toMatchObject({
      state: 'resolved',
      resolvedBy: 'imos',
      resolvedAt: at(T0 + 210 * MIN),
      severity: 'CRITICAL',
      escalationLevel: 2,
      nextEscalationAt: null,
      breached: true,
      respondedAt: at(T0 + 70 * MIN),
      count: 3,
    });
  });

  it('an acknowledgement before the first step stops escalation; its timeout climbs the chain at once', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('db', 'hotel-common', 'CRITICAL')], config, T0);
    const alert = core.alerts[0]!;
    expect(alert.nextEscalationAt).toBe(at(T0 + 30 * MIN));
    acknowledgeInCore(core, config, alert, { actor: 'manager', nowMs: T0 + 10 * MIN });
    expect(alert.nextEscalationAt).toBeNull();
    expect(actions(applyTime(core, config, T0 + 60 * MIN))).toEqual([]);
    expect(alert.breached).toBe(false);
    const audit = applyTime(core, config, T0 + 10 * MIN + 2 * HOUR);
    expect(actions(audit)).toEqual(['ack-timeout:A1', 'escalate:A1']);
    expect(alert).toMatchObject({ state: 'open', acknowledgedBy: null, escalationLevel: 1, nextEscalationAt: at(T0 + 10 * MIN + 2 * HOUR + 30 * MIN) });
    expect(audit[1]!.detail).toMatchObject({ to: ['manager'], reason: expect.stringContaining('acknowledged by manager') });
  });

  it('steps seconds apart are told in seconds, not as "0 min"', () => {
    const core = emptyCore();
    const config = hotelConfig();
    config.severities.CRITICAL = { ...config.severities.CRITICAL!, escalate: [{ afterMs: 5000, to: ['manager'] }, { afterMs: 5000, to: ['owner'] }], ackTimeoutMs: 10_000 };
    applyResults(core, [result('db', 'hotel-common', 'CRITICAL')], config, T0);
    applyTime(core, config, T0 + 5000);
    const escalation = core.outbox.find((r) => r.kind === 'escalation')!;
    expect(escalation.text).toContain('not acknowledged for 5 s');
    acknowledgeInCore(core, config, core.alerts[0]!, { actor: 'manager', nowMs: T0 + 6000 });
    const audit = applyTime(core, config, T0 + 16_000);
    expect(audit.map((e) => e.detail?.reason).filter(Boolean)[0]).toBe('acknowledged by manager but not resolved within 10 s');
  });

  it('a poller that was away escalates every due step once, and never again', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('db', 'hotel-common', 'CRITICAL')], config, T0);
    const audit = applyTime(core, config, T0 + 5 * HOUR);
    expect(actions(audit)).toEqual(['escalate:A1', 'escalate:A1', 'breach:A1']);
    expect(core.alerts[0]!.escalationLevel).toBe(2);
    const rows = core.outbox.length;
    expect(applyTime(core, config, T0 + 6 * HOUR)).toEqual([]);
    expect(core.outbox.length).toBe(rows);
  });

  it('HIGH escalates to the manager after 24 h', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('m', 'hotel-saas', 'HIGH')], config, T0);
    expect(actions(applyTime(core, config, T0 + 24 * HOUR - 1))).toEqual(['breach:A1']);
    const audit = applyTime(core, config, T0 + 24 * HOUR);
    expect(actions(audit)).toEqual(['escalate:A1']);
    expect(audit[0]!.detail).toMatchObject({ level: 1, to: ['manager'], channels: ['slack'] });
    expect(core.alerts[0]!.nextEscalationAt).toBeNull();
  });

  it('levels may name the leader role and their own channels', () => {
    const config = hotelConfig();
    config.severities.HIGH.escalate = [{ afterMs: 10 * MIN, to: ['leader', 'owner'], channels: ['webhook', 'console'] }];
    const core = emptyCore();
    applyResults(core, [result('m', 'hotel-saas', 'HIGH')], config, T0);
    applyTime(core, config, T0 + 10 * MIN);
    expect(rowsOf(core)).toEqual(['alert:slack:sun', 'escalation:webhook:sun+owner']);
  });
});

describe('snooze', () => {
  it('silences escalation until it ends, then the step clock starts again', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('db', 'hotel-common', 'CRITICAL')], config, T0);
    const alert = core.alerts[0]!;
    snoozeInCore(core, config, alert, { actor: 'manager', until: '2h', nowMs: T0 + 5 * MIN });
    expect(alert).toMatchObject({ state: 'snoozed', snoozedUntil: at(T0 + 125 * MIN) });
    expect(applyTime(core, config, T0 + 120 * MIN)).toEqual([]);
    expect(actions(applyTime(core, config, T0 + 125 * MIN))).toEqual(['snooze-end:A1']);
    expect(alert).toMatchObject({ state: 'open', nextEscalationAt: at(T0 + 155 * MIN), breached: false });
    expect(actions(applyTime(core, config, T0 + 155 * MIN))).toEqual(['escalate:A1']);
  });

  it('failures during a snooze update the alert without telling anyone', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('m', 'hotel-pms', 'HIGH')], config, T0);
    snoozeInCore(core, config, core.alerts[0]!, { actor: 'luna', until: '1h', nowMs: T0 + MIN });
    const rows = core.outbox.length;
    applyResults(core, [result('m', 'hotel-pms', 'CRITICAL')], config, T0 + 2 * MIN);
    expect(core.alerts[0]).toMatchObject({ severity: 'CRITICAL', state: 'snoozed', count: 2 });
    expect(core.outbox.length).toBe(rows);
  });
});

describe('dependencies: one root cause, not ten pages', () => {
  it('symptoms of a down system are caused by it, held, and told only if they outlive it', () => {
    const core = emptyCore();
    const config = hotelConfig();
    const down = result('common-api', 'hotel-common', 'CRITICAL', { alertType: 'SYSTEM_CONNECTION_FAILURE', kind: 'http' });
    // Symptoms first in the batch: the root cause is applied first anyway.
    applyResults(
      core,
      [
        result('pms-sync', 'hotel-pms', 'HIGH', { alertType: 'DATA_SYNC_FAILURE' }),
        result('saas-events', 'hotel-saas', 'HIGH', { alertType: 'EVENT_BACKLOG' }), // saas → pms → common
        result('common-migrations', 'hotel-common', 'error'), // same system: a symptom too
        down,
      ],
      config,
      T0,
    );
    const byCheck = Object.fromEntries(core.alerts.map((a) => [a.checkId, a]));
    expect(byCheck['common-api']).toMatchObject({ id: 'A1', causedBy: null });
    expect(byCheck['pms-sync']!.causedBy).toBe('A1');
    expect(byCheck['saas-events']!.causedBy).toBe('A1');
    expect(byCheck['common-migrations']).toMatchObject({ type: 'CHECK_ERROR', causedBy: 'A1' });
    expect(core.outbox.map((r) => r.alertId)).toEqual(['A1', 'A1']); // slack + email for the root only
    // Held alerts neither escalate nor breach.
    applyTime(core, config, T0 + 48 * HOUR);
    expect(byCheck['pms-sync']).toMatchObject({ escalationLevel: 0, breached: false });
    // The root recovers; one symptom recovers quietly, the other still fails and is told now.
    applyResults(core, [result('common-api', 'hotel-common', 'ok')], config, T0 + 49 * HOUR);
    const before = core.outbox.length;
    const audit = applyResults(
      core,
      [result('saas-events', 'hotel-saas', 'ok'), result('pms-sync', 'hotel-pms', 'HIGH', { alertType: 'DATA_SYNC_FAILURE' })],
      config,
      T0 + 49 * HOUR + MIN,
    );
    expect(actions(audit)).toEqual(['auto-resolve:' + byCheck['saas-events']!.id, 'release:' + byCheck['pms-sync']!.id]);
    expect(rowsOf(core).slice(before)).toEqual(['alert:slack:luna']); // nothing for the quiet recovery
    expect(byCheck['pms-sync']).toMatchObject({ causedBy: null, nextEscalationAt: at(T0 + 49 * HOUR + MIN + 24 * HOUR) });
  });

  it('the walk over depends_on survives a cycle', () => {
    const config = hotelConfig();
    config.systems['hotel-common']!.depends_on = ['hotel-saas'];
    const core = emptyCore();
    expect(rootCauseFor(core, config, { id: 'A9', system: 'hotel-saas', type: 'X' })).toBeNull();
  });
});

describe('maintenance windows', () => {
  // Asia/Tokyo is UTC+9: Monday 22:00–02:00 Tokyo = Monday 13:00–17:00 UTC.
  const weekly = { name: 'pms nightly', systems: ['hotel-pms'], weekly: { days: ['mon'], from: '22:00', to: '02:00' } };

  it.each([
    ['Mon 12:59 UTC (21:59 Tokyo)', '2026-01-05T12:59:00Z', null],
    ['Mon 13:00 UTC (22:00 Tokyo)', '2026-01-05T13:00:00Z', 'maintenance: pms nightly'],
    ['Mon 16:59 UTC (01:59 Tue Tokyo)', '2026-01-05T16:59:00Z', 'maintenance: pms nightly'],
    ['Mon 17:00 UTC (02:00 Tue Tokyo)', '2026-01-05T17:00:00Z', null],
    ['Tue 13:30 UTC (22:30 Tue Tokyo)', '2026-01-06T13:30:00Z', null],
  ])('weekly window across a timezone: %s', (_label, when, suppressed) => {
    const config = hotelConfig({ maintenance: [weekly] });
    const core = emptyCore();
    applyResults(core, [result('m', 'hotel-pms', 'CRITICAL')], config, Date.parse(when));
    expect(core.alerts[0]!.suppressed).toBe(suppressed);
    expect(core.outbox.length).toBe(suppressed ? 0 : 2);
  });

  it('only the named systems; a window in its own timezone; Sunday night wraps into Monday', () => {
    const config = hotelConfig({
      maintenance: [{ name: 'weekend', systems: ['hotel-saas'], weekly: { days: ['sun'], from: '23:00', to: '01:00', timezone: 'Europe/Berlin' } }],
    });
    const core = emptyCore();
    // Monday 00:30 Berlin (UTC+1 in January) = Sunday 23:30 UTC.
    applyResults(core, [result('a', 'hotel-saas', 'HIGH'), result('b', 'hotel-pms', 'HIGH')], config, Date.parse('2026-01-04T23:30:00Z'));
    expect(core.alerts.map((a) => a.suppressed)).toEqual(['maintenance: weekend', null]);
  });

  it('a one-off window; the alert is told when it still fails after the window', () => {
    const config = hotelConfig({ maintenance: [{ name: 'upgrade', systems: ['hotel-pms'], start: '2026-01-05T09:00', end: '2026-01-05T11:00' }] });
    const core = emptyCore();
    // 09:30 Tokyo = 00:30 UTC
    applyResults(core, [result('m', 'hotel-pms', 'HIGH')], config, Date.parse('2026-01-05T00:30:00Z'));
    expect(core.alerts[0]!.suppressed).toBe('maintenance: upgrade');
    expect(core.outbox).toEqual([]);
    applyTime(core, config, Date.parse('2026-01-06T00:00:00Z'));
    expect(core.alerts[0]!.escalationLevel).toBe(0);
    const audit = applyResults(core, [result('m', 'hotel-pms', 'HIGH')], config, Date.parse('2026-01-05T02:01:00Z'));
    expect(actions(audit)).toEqual(['release:A1']);
    expect(rowsOf(core)).toEqual(['alert:slack:luna']);
  });
});

describe('severity falls', () => {
  it('CRITICAL → HIGH re-plans the next step with the HIGH policy', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('m', 'hotel-pms', 'CRITICAL')], config, T0);
    applyResults(core, [result('m', 'hotel-pms', 'HIGH')], config, T0 + 10 * MIN);
    expect(core.alerts[0]).toMatchObject({ severity: 'HIGH', nextEscalationAt: at(T0 + 10 * MIN + 24 * HOUR), respondBy: at(T0 + HOUR) });
    expect(rowsOf(core)).toEqual(['alert:slack:luna', 'alert:email:luna', 'severity:slack:luna', 'severity:email:luna']);
    expect(findAlert(core, 'a1').id).toBe('A1');
  });
});

describe('checks that cannot run', () => {
  it('error is HIGH, but MEDIUM for a check configured no higher than MEDIUM', () => {
    const config = hotelConfig();
    const medium = { severity: 'MEDIUM' as const, conditions: [] };
    config.checks.push(checkConfig('lint', 'hotel-saas', { thresholds: [medium] }));
    config.checks.push(checkConfig('api', 'hotel-saas', { thresholds: [medium], expect: [{} as never], severity: 'CRITICAL' }));
    const core = emptyCore();
    applyResults(core, [result('lint', 'hotel-saas', 'error'), result('api', 'hotel-saas', 'error'), result('other', 'hotel-saas', 'error')], config, T0);
    expect(core.alerts.map((a) => `${a.checkId}:${a.type}:${a.severity}`)).toEqual(['lint:CHECK_ERROR:MEDIUM', 'api:CHECK_ERROR:HIGH', 'other:CHECK_ERROR:HIGH']);
  });

  it('alerts of a check removed from the config are resolved, blockers are not', () => {
    const config = hotelConfig();
    const core = emptyCore();
    applyResults(core, [result('unified-db', 'hotel-common', 'HIGH'), result('gone', 'hotel-pms', 'HIGH')], config, T0);
    const audit = resolveOrphans(core, config, T0 + MIN, () => false);
    expect(actions(audit)).toEqual(['auto-resolve:A2']);
    expect(audit[0]!.note).toBe('check gone is no longer configured');
    expect(core.alerts.map((a) => a.state)).toEqual(['open', 'resolved']);
    expect(resolveOrphans(core, config, T0 + MIN, () => true)).toEqual([]);
  });
});

describe('maintenance across a daylight-saving change', () => {
  // New York springs forward on 2026-03-08 at 02:00 local (07:00 UTC); the window is wall-clock time.
  const config = hotelConfig({
    timezone: 'America/New_York',
    maintenance: [
      { name: 'sunday', systems: ['hotel-pms'], weekly: { days: ['sun'], from: '01:00', to: '04:00' } },
      { name: 'one-off', systems: ['hotel-saas'], start: '2026-03-08T01:30', end: '2026-03-08T03:30' },
    ],
  });
  it.each([
    ['2026-03-08T05:59:00Z', 'hotel-pms', null], // 00:59 EST
    ['2026-03-08T06:30:00Z', 'hotel-pms', 'sunday'], // 01:30 EST
    ['2026-03-08T07:30:00Z', 'hotel-pms', 'sunday'], // 03:30 EDT
    ['2026-03-08T08:00:00Z', 'hotel-pms', null], // 04:00 EDT
    ['2026-03-08T06:29:00Z', 'hotel-saas', null], // 01:29 EST
    ['2026-03-08T06:30:00Z', 'hotel-saas', 'one-off'],
    ['2026-03-08T07:29:00Z', 'hotel-saas', 'one-off'], // 03:29 EDT
    ['2026-03-08T07:30:00Z', 'hotel-saas', null], // 03:30 EDT
  ])('%s %s → %s', (when, system, name) => {
    expect(activeMaintenance(config, system, Date.parse(when))).toBe(name);
  });
});

describe('released and changed at once', () => {
  it('a symptom that outlives its root cause at a new severity is told once, at the new severity', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('api', 'hotel-common', 'CRITICAL', { alertType: 'SYSTEM_CONNECTION_FAILURE' }), result('sync', 'hotel-pms', 'HIGH')], config, T0);
    expect(core.alerts[1]!.causedBy).toBe('A1');
    applyResults(core, [result('api', 'hotel-common', 'ok')], config, T0 + MIN);
    const before = core.outbox.length;
    const audit = applyResults(core, [result('sync', 'hotel-pms', 'CRITICAL')], config, T0 + 2 * MIN);
    expect(actions(audit)).toEqual(['release:A2', 'severity:A2']);
    expect(rowsOf(core).slice(before)).toEqual(['alert:slack:luna', 'alert:email:luna']);
    expect(core.outbox.slice(before).every((r) => r.subject.startsWith('[CRITICAL]'))).toBe(true);
  });

  it('a symptom that becomes held while changing severity tells nobody', () => {
    const core = emptyCore();
    const config = hotelConfig();
    applyResults(core, [result('sync', 'hotel-pms', 'HIGH')], config, T0);
    const before = core.outbox.length;
    const audit = applyResults(core, [result('api', 'hotel-common', 'CRITICAL', { alertType: 'SYSTEM_CONNECTION_FAILURE' }), result('sync', 'hotel-pms', 'CRITICAL')], config, T0 + MIN);
    expect(actions(audit)).toEqual(['open:A2', 'hold:A1', 'severity:A1']);
    expect(core.outbox.slice(before).map((r) => r.alertId)).toEqual(['A2', 'A2']);
  });
});
