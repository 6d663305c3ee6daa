// The alert center at programme scale: a tick of the clock must not rebuild 10,000 alert rows. The
// rows stay as they are, and the pane works out the ages and countdowns of the rows it draws.
import { describe, expect, it } from 'vitest';
import { hotelConfig, hotelCore, hotelResults, NOW } from '../testing/fixtures.js';
import { alertAgeMs, escalationCountdownMs } from '../model/alerts.js';
import { compactDuration } from '../model/format.js';
import { createViewModel, type ViewModel } from '../model/view-model.js';
import { initialUIState } from '../ui-state.js';
import { alertsPlain, alertsText } from './alerts.js';

describe('alert center and the clock', () => {
  it('a tick rebuilds no row: the rows and the queue stay, the ages drawn follow the clock', () => {
    const build = createViewModel();
    const config = hotelConfig();
    const loaded = { core: hotelCore(), results: hotelResults(), lease: { holder: null }, audit: [], plan: null };
    const none = { filters: {}, detailSystem: null, alertDetail: null };
    const first = build(config, loaded, none, NOW);
    const later = build(config, loaded, none, NOW + 90 * 60_000);
    expect(later.alerts).toBe(first.alerts);
    expect(later.alertsAll).toBe(first.alertsAll);
    expect(later.escalations).toBe(first.escalations);

    const draw = (vm: ViewModel) => {
      const ui = initialUIState('alerts', []);
      const text = alertsText({ ...alertsPlain.model({ vm, ui, config, focused: true }), width: 120, rows: 30 });
      return text.lines.map((line) => line.map((span) => span.text).join(''));
    };
    const top = first.alerts[0]!;
    const rowOf = (lines: string[]) => lines.find((l) => l.includes(` ${top.id} `))!;
    const [before, after] = [alertAgeMs(top, NOW), alertAgeMs(top, NOW + 90 * 60_000)].map((ms) => compactDuration(ms));
    expect(before).not.toBe(after);
    expect(rowOf(draw(first))).toContain(` ${before} `);
    expect(rowOf(draw(later))).toContain(` ${after} `);
    // The queue's countdown is drawn at the view model's time too.
    const queued = first.escalations[0]!;
    const queueLine = (lines: string[]) => lines.find((l) => l.includes(queued.id) && l.includes('level'))!;
    expect(queueLine(draw(first))).toContain(`in ${compactDuration(escalationCountdownMs(queued, NOW))}`);
    expect(queueLine(draw(later))).toContain(`overdue ${compactDuration(-escalationCountdownMs(queued, NOW + 90 * 60_000))}`);
  });
});
