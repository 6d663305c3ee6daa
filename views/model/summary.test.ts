import { describe, expect, it } from 'vitest';
import { hotelConfig, hotelCore, hotelResults, NOW } from '../testing/fixtures.js';
import type { ConsoleData } from './data.js';
import { plainSummary } from './summary.js';

const data = (): ConsoleData => ({ core: hotelCore(), results: hotelResults(), lease: { holder: null }, audit: [], plan: null });

describe('plain summary', () => {
  it('prints the plain summary used when stdout is not a terminal', () => {
    const text = plainSummary(hotelConfig(), data(), NOW);
    expect(text).toContain('Integration completion  85% (11/13 tables)');
    expect(text).toContain('Active alerts (4)');
    expect(text).toMatch(/✖ CRITICAL A2 +hotel-common/);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Escalation queue');
    expect(text).toContain("Today's standups (0/4)");
    expect(text).toContain('no standup yet: hotel-common, hotel-member, hotel-pms, hotel-saas');
  });
});
