import { describe, expect, it } from 'vitest';
import { hotelConfig, hotelCore, hotelResults, NOW } from '../testing/fixtures.js';
import type { ConsoleData } from './data.js';
import { createViewModel, type ViewSelection } from './view-model.js';

const data = (): ConsoleData => ({ core: hotelCore(), results: hotelResults(), lease: { holder: null }, audit: [], plan: null });
const none: ViewSelection = { filters: {}, detailSystem: null, alertDetail: null };

describe('view model', () => {
  it('derives every pane’s rows from the loaded data, and says it is loading before the first read', () => {
    const build = createViewModel();
    const config = hotelConfig();
    expect(build(config, null, none, NOW)).toMatchObject({ alerts: [], systems: expect.any(Array), holder: 'loading…', paused: false });
    const vm = build(config, data(), { filters: { alerts: 'pms' }, detailSystem: 'hotel-common', alertDetail: 'a4' }, NOW);
    expect(vm.alertsTotal).toBe(4);
    expect(vm.alerts.map((a) => a.id)).toEqual(['A1']);
    expect(vm.systems.map((s) => s.id)).toEqual(['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']);
    expect(vm.detailChecks.map((c) => c.id)).toContain('pending-migrations');
    expect(vm.alertDetail?.id).toBe('A4');
    expect(vm.overview.completion).toBe('85% (11/13 tables)');
    expect(vm.holder).toBe('no poller');
    // What the web page shows besides the panes comes from the same builder.
    expect(vm.uptime.map((u) => u.checkId)).toEqual(config.checks.map((c) => c.id));
    expect(vm.incidents).toEqual([]);
    expect(vm.maintenance).toEqual([]);
  });

  it('keeps what did not change: same inputs give the same object, a new filter only new alert rows', () => {
    const build = createViewModel();
    const config = hotelConfig();
    const loaded = data();
    const first = build(config, loaded, none, NOW);
    expect(build(config, loaded, { ...none, filters: {} }, NOW)).toBe(first);
    const filtered = build(config, loaded, { ...none, filters: { alerts: 'hotel' } }, NOW);
    expect(filtered).not.toBe(first);
    expect(filtered.systems).toBe(first.systems);
    expect(filtered.overview).toBe(first.overview);
    // A results section re-read leaves the alert rows alone.
    const reread = build(config, { ...loaded, results: hotelResults() }, { ...none, filters: { alerts: 'hotel' } }, NOW);
    expect(reread.alerts).toBe(filtered.alerts);
    expect(reread.systems).not.toBe(filtered.systems);
  });

  it('recounts the overview and today\'s standups when the data changes or a minute turns, not at every tick of the clock', () => {
    const build = createViewModel();
    const config = hotelConfig();
    const loaded = data();
    const minuteStart = Math.floor(NOW / 60_000) * 60_000;
    const first = build(config, loaded, none, minuteStart + 1_000);
    expect(build(config, loaded, none, minuteStart + 59_000).overview).toBe(first.overview);
    expect(build(config, loaded, none, minuteStart + 59_000).standups).toBe(first.standups);
    expect(build(config, loaded, none, minuteStart + 61_000).overview).not.toBe(first.overview);
    // An alert opened within the current minute counts in the sparkline's last point at once.
    const opened = { ...loaded.core.alerts[0]!, id: 'A99', fingerprint: 'new-one', state: 'open' as const, resolvedAt: null, openedAt: new Date(minuteStart + 30_000).toISOString() };
    const more = build(config, { ...loaded, core: { ...loaded.core, alerts: [...loaded.core.alerts, opened] } }, none, minuteStart + 31_000);
    expect(more.overview.alertHistory.at(-1)).toBe(first.overview.alertHistory.at(-1)! + 1);
  });

  it('raises the poller alarm when no round has been recorded for 3 × the shortest interval (at least 1 min)', () => {
    const build = createViewModel();
    const config = hotelConfig(); // every check runs every 30 s: overdue after 90 s
    const loaded = { ...data(), results: { ...hotelResults(), lastPollAt: new Date(NOW).toISOString() } };
    expect(build(config, loaded, none, NOW).pollerAlarm).toBeNull();
    expect(build(config, loaded, none, NOW + 89_000).pollerAlarm).toBeNull();
    expect(build(config, loaded, none, NOW + 91_000).pollerAlarm).toBe('no poller has recorded a round for 1m (overdue after 1m30s)');
    expect(build(config, null, none, NOW + 91_000).pollerAlarm).toBeNull(); // not before the store is read
  });
});
