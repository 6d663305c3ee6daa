import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import { draftCore } from '../store/testing/draft.js';
import { hotelConfig } from '../../test/helpers/config.js';
import { applyResolveBlocker, applyStandup, standupsOn, StandupValidationError, validateStandupDraft } from './standups.js';
import { dependencyIssues, missingStandups, openBlockers } from './blockers.js';
import { parseMatrix } from './matrix-parse.js';

const HOUR = 3_600_000;

const config = hotelConfig({ plan: { standup: { due: '10:00', max_length: 50 } } });

const draft = (over: Partial<Parameters<typeof applyStandup>[1]> = {}) => ({
  system: 'hotel-pms',
  done: 'rooms migrated',
  next: 'reservations sync',
  blockers: [],
  ...over,
});

describe('validating a draft', () => {
  it('accepts a complete draft', () => {
    expect(validateStandupDraft(draft({ blockers: [{ text: 'DB access', waitsOn: 'system:hotel-common' }] }), config)).toEqual([]);
  });

  it('names every bad field', () => {
    const errors = validateStandupDraft(
      {
        system: 'hotel-nope',
        done: '  ',
        next: 'x'.repeat(51),
        blockers: [{ text: '', waitsOn: 'system:ghost' }, { text: 'ok', waitsOn: 'soon' }, { text: 'T', waitsOn: 'person:luna' }],
      },
      config,
    );
    expect(errors).toEqual([
      { field: 'system', message: 'unknown system "hotel-nope": expected one of hotel-common, hotel-member, hotel-pms, hotel-saas' },
      { field: 'done', message: 'required' },
      { field: 'next', message: 'too long (51 characters, at most 50)' },
      { field: 'blockers[0].text', message: 'required' },
      { field: 'blockers[0].waitsOn', message: 'unknown system "ghost"' },
      { field: 'blockers[1].waitsOn', message: '"soon" is not KIND:ID (KIND is system, task or person), e.g. system:hotel-common' },
    ]);
  });

  it('checks task ids against the matrix when one is given', () => {
    const r = parseMatrix('| ID | Task | Status |\n|---|---|---|\n| T1 | a | todo |\n', 'm.md');
    if (!r.ok) throw new Error('fixture');
    expect(validateStandupDraft(draft({ blockers: [{ text: 'x', waitsOn: 'task:T2' }] }), config, r.matrix)).toEqual([
      { field: 'blockers[0].waitsOn', message: 'unknown task "T2"' },
    ]);
    expect(validateStandupDraft(draft({ blockers: [{ text: 'x', waitsOn: 'task:T1' }] }), config, r.matrix)).toEqual([]);
  });
});

describe('saving standups', () => {
  it("replaces today's entry keeping history, dates in the project timezone", () => {
    const core = draftCore();
    // 2025-01-28 23:30 UTC is already 2025-01-29 in Tokyo.
    const now = Date.parse('2025-01-28T23:30:00Z');
    const first = applyStandup(core, draft(), 'luna', now, config);
    expect(first.standup).toMatchObject({ id: 'S-2025-01-29-hotel-pms', date: '2025-01-29', author: 'luna', history: [] });
    expect(first.replaced).toBe(false);
    const second = applyStandup(core, draft({ done: 'rooms and guests migrated' }), 'luna', now + HOUR, config);
    expect(second.replaced).toBe(true);
    expect(core.standups).toHaveLength(1);
    expect(core.standups[0]!.done).toBe('rooms and guests migrated');
    expect(core.standups[0]!.history.map((h) => h.done)).toEqual(['rooms migrated']);
    expect(second.audit).toMatchObject({ action: 'standup', target: 'hotel-pms', actor: 'luna', detail: { date: '2025-01-29', replaced: true } });
    expect(standupsOn(core, '2025-01-29').map((s) => s.system)).toEqual(['hotel-pms']);
    expect(standupsOn(core, '2025-01-28')).toEqual([]);
  });

  it('sanitises outside text', () => {
    const core = draftCore();
    const r = applyStandup(core, draft({ done: 'ok\u001b[2J\u001b]0;title\u0007 done', blockers: [{ text: 'wait\u001b[31m red' }] }), 'luna', 0, config);
    expect(r.standup.done).toBe('ok done');
    expect(r.standup.blockers[0]!.text).toBe('wait red');
  });

  it('refuses an invalid draft without touching the data', () => {
    const core = draftCore();
    expect(() => applyStandup(core, draft({ done: '' }), 'luna', 0, config)).toThrow(StandupValidationError);
    expect(core.standups).toEqual([]);
  });

  it('carries a repeated blocker (same id and age), resolves a dropped one', async () => {
    const clock = new ManualClock('2025-01-27T01:00:00Z'); // Monday 10:00 in Tokyo
    const core = draftCore();
    applyStandup(core, draft({ blockers: [{ text: 'No DB credentials', waitsOn: 'system:hotel-common' }, { text: 'Spec unclear' }] }), 'luna', clock.now(), config);
    await clock.advance(24 * HOUR);
    const open = openBlockers(core, clock.now());
    expect(open.map((b) => [b.id, b.system, b.ageMs])).toEqual([
      ['B1', 'hotel-pms', 24 * HOUR],
      ['B2', 'hotel-pms', 24 * HOUR],
    ]);
    const next = applyStandup(core, draft({ blockers: [{ text: 'no db  credentials', waitsOn: 'system:hotel-common' }, { text: 'Waiting on SaaS schema', waitsOn: 'person:sun' }] }), 'luna', clock.now(), config);
    expect(next.resolved.map((b) => b.id)).toEqual(['B2']);
    expect(next.opened.map((b) => b.id)).toEqual(['B3']);
    await clock.advance(HOUR);
    expect(openBlockers(core, clock.now()).map((b) => [b.id, b.ageMs / HOUR])).toEqual([
      ['B1', 25],
      ['B3', 1],
    ]);
    // By hand.
    expect(applyResolveBlocker(core, 'b1', 'manager', clock.now(), 'credentials sent')).toMatchObject({ action: 'blocker-resolve', target: 'B1', note: 'credentials sent' });
    expect(openBlockers(core, clock.now()).map((b) => b.id)).toEqual(['B3']);
    expect(applyResolveBlocker(core, 'B1', 'manager', clock.now())).toBeNull();
  });
});

describe('blockers waiting on a task', () => {
  it('are stored under the matrix id and keep their age however the id is typed', async () => {
    const r = parseMatrix('| ID | Task | Status |\n|---|---|---|\n| T3 | schema | todo |\n', 'm.md');
    if (!r.ok) throw new Error('fixture');
    const clock = new ManualClock('2025-01-27T01:00:00Z');
    const core = draftCore();
    const first = applyStandup(core, draft({ blockers: [{ text: 'schema', waitsOn: 'task:t3' }] }), 'luna', clock.now(), config, r.matrix);
    expect(first.opened.map((b) => [b.id, b.waitsOn])).toEqual([['B1', { kind: 'task', id: 'T3' }]]);
    await clock.advance(24 * HOUR);
    const next = applyStandup(core, draft({ blockers: [{ text: 'schema', waitsOn: 'task:T3' }] }), 'luna', clock.now(), config, r.matrix);
    expect(next.opened).toEqual([]);
    expect(next.resolved).toEqual([]);
    expect(openBlockers(core, clock.now()).map((b) => [b.id, b.ageMs / HOUR])).toEqual([['B1', 24]]);
  });
});

describe('missing standups', () => {
  it('flags systems without a standup only after the due time on a working day', async () => {
    const core = draftCore();
    const clock = new ManualClock('2025-01-27T00:30:00Z'); // Monday 09:30 Tokyo
    applyStandup(core, draft(), 'luna', clock.now(), config);
    expect(missingStandups(config, core, clock.now())).toEqual([]);
    await clock.advance(HOUR); // 10:30
    expect(missingStandups(config, core, clock.now())).toEqual([
      { system: 'hotel-common', leader: 'manager', date: '2025-01-27', dueAt: '2025-01-27T01:00:00.000Z' },
      { system: 'hotel-member', leader: 'suno', date: '2025-01-27', dueAt: '2025-01-27T01:00:00.000Z' },
      { system: 'hotel-saas', leader: 'sun', date: '2025-01-27', dueAt: '2025-01-27T01:00:00.000Z' },
    ]);
    // Saturday: nobody is due.
    expect(missingStandups(config, core, Date.parse('2025-02-01T05:00:00Z'))).toEqual([]);
  });
});

describe('dependency issues', () => {
  it('gives the age of a fresh blocker in minutes, not "0h"', () => {
    const core = draftCore();
    const now = Date.parse('2025-01-29T01:00:00Z');
    applyStandup(core, draft({ blockers: [{ text: 'need credentials', waitsOn: 'system:hotel-common' }] }), 'luna', now - 20 * 60_000, config);
    expect(dependencyIssues(config, core, null, now)[0]!.reason).toBe('B1 waits on hotel-common for 20m: need credentials');
    expect(dependencyIssues(config, core, null, now + 3 * HOUR)[0]!.reason).toBe('B1 waits on hotel-common for 3h: need credentials');
  });

  it('reports systems waiting on a blocked or late dependency', () => {
    const core = draftCore();
    const now = Date.parse('2025-01-29T01:00:00Z');
    applyStandup(core, draft({ system: 'hotel-common', blockers: [{ text: 'DB server down' }] }), 'manager', now - 48 * HOUR, config);
    applyStandup(core, draft({ blockers: [{ text: 'need credentials', waitsOn: 'system:hotel-common' }] }), 'luna', now - 24 * HOUR, config);
    const r = parseMatrix('| ID | Task | System | Status | Due |\n|---|---|---|---|---|\n| T1 | schema | hotel-common | todo | 2025-01-28 |\n', 'm.md');
    if (!r.ok) throw new Error('fixture');
    expect(dependencyIssues(config, core, r.matrix, now)).toEqual([
      { system: 'hotel-pms', dependsOn: 'hotel-common', reason: 'B2 waits on hotel-common for 1d: need credentials' },
      { system: 'hotel-member', dependsOn: 'hotel-common', reason: 'hotel-common is blocked (B1)' },
      { system: 'hotel-member', dependsOn: 'hotel-common', reason: 'hotel-common is late: T1 due 2025-01-28' },
      { system: 'hotel-pms', dependsOn: 'hotel-common', reason: 'hotel-common is blocked (B1)' },
      { system: 'hotel-pms', dependsOn: 'hotel-common', reason: 'hotel-common is late: T1 due 2025-01-28' },
      // Further down the chain: the orders SaaS waits on the PMS, whose standup reports a blocker.
      { system: 'hotel-saas', dependsOn: 'hotel-pms', reason: 'hotel-pms is blocked (B2)' },
    ]);
  });
});
