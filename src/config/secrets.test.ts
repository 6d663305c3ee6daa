import { describe, expect, it } from 'vitest';
import { loadConfigText } from './load.js';
import { configSecrets } from './secrets.js';
import { redactSecrets } from '../text/redact.js';

describe('the secrets of a configuration', () => {
  it('take webhook and heartbeat URLs whole, and a check’s credentials in every form', () => {
    const config = loadConfigText(
      [
        'project: Secrets',
        'systems: { core: { name: Core } }',
        'checks:',
        '  - { id: api, system: core, kind: http, url: "http://probe:s3cret-pw@127.0.0.1:9/" }',
        '  - { id: db, system: core, kind: command, run: [psql, "postgres://app:in-a-list@127.0.0.1/db"], env: { DB: "postgres://app:in-a-map@127.0.0.1/db" } }',
        '  - { id: plain, system: core, kind: http, url: "http://127.0.0.1:9/health?check=1" }',
        'channels: { webhook: { url: "https://discord.com/api/webhooks/1/AbCdEfSecret" } }',
        'heartbeat: https://hc-ping.com/0f3a9c1e-7d2b-4c55-9a61-2b7e8d0c4f11',
        '',
      ].join('\n'),
      '/virtual/imos.yaml',
      { env: {} },
    );
    const secrets = configSecrets(config);
    const text = [
      'webhook https://discord.com/api/webhooks/1/AbCdEfSecret answered 500',
      'ping https://hc-ping.com/0f3a9c1e-7d2b-4c55-9a61-2b7e8d0c4f11 failed',
      `echo ${Buffer.from('probe:s3cret-pw').toString('base64')} s3cret-pw`,
      'psql: in-a-list in-a-map refused',
    ].join('\n');
    expect(redactSecrets(text, secrets)).toBe(
      ['webhook https://discord.com/*** answered 500', 'ping https://hc-ping.com/*** failed', 'echo *** ***', 'psql: *** *** refused'].join('\n'),
    );
  });
});
