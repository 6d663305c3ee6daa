import { describe, expect, it } from 'vitest';
import { applyResults } from '../alerts/lifecycle.js';
import { hotelConfig, MIN, result, T0 } from '../../test/alerts/fixtures.js';
import { makeAlert } from '../../test/helpers/alerts.js';
import { CoreDraft } from './core-draft.js';
import { emptyChangeSet, SectionState } from './state.js';
import { Tx } from './tx.js';

/** A core section holding `alerts` as stored (frozen, in the section), behind one transaction. */
function storedCore(alerts: ReturnType<typeof makeAlert>[]): CoreDraft {
  const state = new SectionState('core');
  state.load(1, { alerts });
  return new CoreDraft(new Tx('core', state, 'memory'));
}

describe('CoreDraft: alerts by fingerprint, check and type', () => {
  it('sees the transaction’s own changes: added, edited, resolved and deleted alerts', () => {
    const core = storedCore([
      makeAlert({ id: 'A1', checkId: 'member-api', type: 'HTTP_FAILURE', fingerprint: 'member-api:HTTP_FAILURE' }),
      makeAlert({ id: 'A2', checkId: 'member-api', type: 'LATENCY', fingerprint: 'member-api:LATENCY' }),
      makeAlert({ id: 'A3', checkId: 'pms-db', type: 'HTTP_FAILURE', fingerprint: 'pms-db:HTTP_FAILURE' }),
    ]);
    expect(core.alertsWhere('checkId', 'member-api').map((a) => a.id)).toEqual(['A1', 'A2']);
    expect(core.alertsWhere('type', 'HTTP_FAILURE').map((a) => a.id)).toEqual(['A1', 'A3']);

    core.addAlert(makeAlert({ id: 'A4', checkId: 'member-api', type: 'HTTP_FAILURE', fingerprint: 'member-api:HTTP_FAILURE' }));
    const edited = core.editAlert({ id: 'A1' });
    edited.state = 'resolved';
    core.tx.delete('alerts', 'A2');

    const byFingerprint = core.alertsWhere('fingerprint', 'member-api:HTTP_FAILURE');
    expect(byFingerprint.map((a) => [a.id, a.state])).toEqual([
      ['A1', 'resolved'],
      ['A4', 'open'],
    ]);
    expect(byFingerprint[0]).toBe(edited);
    expect(core.alertsWhere('checkId', 'member-api').map((a) => a.id)).toEqual(['A1', 'A4']);
    expect(core.alertsWhere('checkId', 'nobody')).toEqual([]);
  });

  it('a batch of results is matched to its alerts without copying the whole alert list per result', () => {
    const config = hotelConfig();
    const checks = config.checks.map((c) => c.id);
    const alerts = [];
    for (let i = 0; i < 2_000; i++) {
      const checkId = checks[i % checks.length]!;
      const type = `TYPE_${Math.floor(i / checks.length)}`;
      alerts.push(makeAlert({ id: `A${i + 1}`, checkId, system: config.checks[i % checks.length]!.system, type, fingerprint: `${checkId}:${type}` }));
    }
    const core = storedCore(alerts);
    let wholeListReads = 0;
    const all = core.tx.all.bind(core.tx);
    core.tx.all = ((collection: never) => {
      if (collection === 'alerts') wholeListReads++;
      return all(collection);
    }) as typeof core.tx.all;

    // Each check: its first alert's type fails again (counted), and one check recovers (all its alerts resolve).
    const batch = checks.map((id, i) =>
      i === 0 ? result(id, config.checks[i]!.system, 'ok') : result(id, config.checks[i]!.system, 'HIGH', { alertType: 'TYPE_0', at: new Date(T0 + MIN).toISOString() }),
    );
    applyResults(core, batch, config, T0 + MIN);

    expect(wholeListReads).toBe(0);
    const recovered = core.alertsWhere('checkId', checks[0]!);
    expect(recovered.length).toBeGreaterThan(200);
    expect(recovered.every((a) => a.state === 'resolved')).toBe(true);
    for (const id of checks.slice(1)) {
      const [again, ...others] = core.alertsWhere('checkId', id);
      expect(again!.count).toBe(2);
      expect(others.every((a) => a.count === 1 && a.state === 'open')).toBe(true);
    }
  });

  it('looks alerts up in the section’s index, kept in step with what is stored: no transaction walks every alert', () => {
    const state = new SectionState('core');
    state.load(1, {
      alerts: [
        makeAlert({ id: 'A1', checkId: 'member-api', type: 'HTTP_FAILURE', fingerprint: 'member-api:HTTP_FAILURE' }),
        makeAlert({ id: 'A2', checkId: 'pms-db', type: 'HTTP_FAILURE', fingerprint: 'pms-db:HTTP_FAILURE' }),
      ],
    });
    let walks = 0;
    const keys = state.keys.bind(state);
    state.keys = ((collection: never) => {
      if (collection === 'alerts') walks++;
      return keys(collection);
    }) as typeof state.keys;
    const draft = () => new CoreDraft(new Tx('core', state, 'memory'));
    expect(draft().alertsWhere('type', 'HTTP_FAILURE').map((a) => a.id)).toEqual(['A1', 'A2']);

    // Stored by a later commit (this process's or another's): a new alert, one replaced, one deleted.
    const replaced = makeAlert({ id: 'A1', checkId: 'member-api', type: 'HTTP_FAILURE', fingerprint: 'member-api:HTTP_FAILURE', count: 7 });
    state.apply({ ...emptyChangeSet('core'), put: { alerts: [replaced, makeAlert({ id: 'A3', checkId: 'member-api', type: 'LATENCY', fingerprint: 'member-api:LATENCY' })] } }, 2);
    state.apply({ ...emptyChangeSet('core'), del: { alerts: ['A2'] } }, 3);
    const core = draft();
    expect(core.alertsWhere('type', 'HTTP_FAILURE').map((a) => [a.id, a.count])).toEqual([['A1', 7]]);
    expect(core.alertsWhere('checkId', 'member-api').map((a) => a.id)).toEqual(['A1', 'A3']);
    expect(core.alertsWhere('checkId', 'pms-db')).toEqual([]);
    expect(walks).toBe(0);
  });

  it('an alert deleted and added again in one transaction is listed once, as added', () => {
    const core = storedCore([makeAlert({ id: 'A1', checkId: 'member-api', type: 'HTTP_FAILURE', fingerprint: 'member-api:HTTP_FAILURE' })]);
    core.tx.delete('alerts', 'A1');
    core.addAlert(makeAlert({ id: 'A1', checkId: 'member-api', type: 'HTTP_FAILURE', fingerprint: 'member-api:HTTP_FAILURE', message: 'again' }));
    expect(core.alertsWhere('fingerprint', 'member-api:HTTP_FAILURE').map((a) => [a.id, a.message])).toEqual([['A1', 'again']]);
  });
});
