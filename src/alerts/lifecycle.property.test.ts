// Invariants of the lifecycle under random interleavings of results, time and people's actions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckStatus } from '../model.js';
import { applyResults, applyTime, isActive, isHeld } from './lifecycle.js';
import { policyFor } from './policy.js';
import { AlertActionError, TRANSITIONS, type AlertAction } from './transitions.js';
import { emptyCore, hotelConfig, MIN, result, T0 } from '../../test/alerts/fixtures.js';

const CHECKS = [
  { id: 'common-api', system: 'hotel-common', alertType: 'SYSTEM_CONNECTION_FAILURE' },
  { id: 'pms-sync', system: 'hotel-pms', alertType: 'DATA_SYNC_FAILURE' },
  { id: 'saas-ts', system: 'hotel-saas', alertType: 'TYPESCRIPT_ERRORS' },
];
const STATUSES: CheckStatus[] = ['ok', 'MEDIUM', 'HIGH', 'CRITICAL', 'error', 'pending'];

const step = fc.oneof(
  fc.record({ t: fc.constant('result' as const), check: fc.integer({ min: 0, max: 2 }), status: fc.constantFrom(...STATUSES) }),
  fc.record({ t: fc.constant('time' as const), minutes: fc.integer({ min: 1, max: 600 }) }),
  fc.record({
    t: fc.constant('action' as const),
    action: fc.constantFrom<AlertAction>('ack', 'unack', 'resolve', 'snooze'),
    alert: fc.integer({ min: 1, max: 8 }),
    until: fc.constantFrom('30m', '2h', 'soon'),
  }),
);

describe('lifecycle invariants', () => {
  it('one active alert per fingerprint; deadlines only where they can fire; every row names a real alert', () => {
    const config = hotelConfig({ maintenance: [{ name: 'nightly', systems: ['hotel-saas'], weekly: { days: ['mon', 'wed'], from: '01:00', to: '03:00' } }] });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const core = emptyCore();
        let now = T0;
        for (const s of steps) {
          const rowsBefore = core.outbox.length;
          if (s.t === 'time') {
            now += s.minutes * MIN;
            applyTime(core, config, now);
          } else if (s.t === 'result') {
            const c = CHECKS[s.check]!;
            applyResults(core, [result(c.id, c.system, s.status, { alertType: c.alertType })], config, now);
          } else {
            const alert = core.alerts.find((a) => a.id === `A${s.alert}`);
            if (!alert) continue;
            try {
              TRANSITIONS[s.action](core, config, alert, { actor: 'tester', until: s.until, nowMs: now });
            } catch (error) {
              if (!(error instanceof AlertActionError)) throw error;
            }
          }
          const active = core.alerts.filter(isActive).map((a) => a.fingerprint);
          expect(new Set(active).size).toBe(active.length);
          for (const a of core.alerts) {
            const levels = policyFor(config, a.severity).escalate.length;
            expect(a.escalationLevel).toBeLessThanOrEqual(levels);
            if (a.state !== 'open') expect(a.nextEscalationAt).toBeNull();
            if (a.state === 'resolved') expect(a.nextEscalationAt).toBeNull();
            if (a.state === 'acknowledged') expect(a.acknowledgedBy).not.toBeNull();
            if (a.state === 'snoozed') expect(a.snoozedUntil).not.toBeNull();
            if (a.state !== 'snoozed') expect(a.snoozedUntil).toBeNull();
            expect(Date.parse(a.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(a.openedAt));
          }
          // Nobody is paged about a held (caused / maintenance) alert, nor escalated while it is not open.
          for (const row of core.outbox.slice(rowsBefore)) {
            const alert = core.alerts.find((a) => a.id === row.alertId)!;
            if (row.kind === 'alert' || row.kind === 'severity' || row.kind === 'escalation') expect(isHeld(alert)).toBe(false);
            if (row.kind === 'escalation') expect(alert.state).toBe('open');
          }
          const ids = new Set(core.alerts.map((a) => a.id));
          for (const row of core.outbox) expect(ids.has(row.alertId!)).toBe(true);
          expect(new Set(core.outbox.map((r) => r.id)).size).toBe(core.outbox.length);
          expect(core.outbox.every((r) => r.channel !== 'console')).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
