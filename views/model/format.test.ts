import { describe, expect, it } from 'vitest';
import { compactDuration } from './format.js';

describe('console formatting', () => {
  it('formats compact durations', () => {
    expect([compactDuration(5000), compactDuration(600_000), compactDuration(3_900_000), compactDuration(90_000_000), compactDuration(-60_000)]).toEqual(['5s', '10m', '1h5m', '1d1h', '-1m']);
  });
});
