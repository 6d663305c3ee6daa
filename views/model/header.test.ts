import { describe, expect, it } from 'vitest';
import { NOW } from '../testing/fixtures.js';
import { holderLabel } from './header.js';

describe('header', () => {
  it('labels the poller holder and marks a stale one', () => {
    const holder = { pid: 42, host: 'ops1', user: 'suno', since: '', renewedAt: new Date(NOW - 1000).toISOString(), token: 't', role: 'console' };
    expect(holderLabel(holder, NOW)).toBe('console suno@ops1 pid 42');
    expect(holderLabel({ ...holder, renewedAt: new Date(NOW - 60_000).toISOString() }, NOW)).toContain('(stale)');
    expect(holderLabel(null, NOW)).toBe('no poller');
  });
});
