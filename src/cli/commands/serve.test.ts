import { describe, expect, it } from 'vitest';
import { exposureWarnings, isLoopbackHost } from './serve.js';

describe('imos serve: where it listens', () => {
  it('knows the loopback addresses (only this machine reaches them)', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.20', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'imos.example.com', '1.127.0.0']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('warns when other machines reach it, and louder without server.auth; nothing on loopback', () => {
    expect(exposureWarnings('127.0.0.1', false)).toEqual([]);
    expect(exposureWarnings('0.0.0.0', true)).toEqual(['warning: bound to 0.0.0.0, reachable from other machines']);
    expect(exposureWarnings('0.0.0.0', false)).toEqual([
      'warning: bound to 0.0.0.0, reachable from other machines',
      'warning: server.auth is not set: anyone who can reach it sees the dashboard, /api/* and /metrics',
    ]);
  });
});
