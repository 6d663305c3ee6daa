// Secrets stay out of everything imos shows or keeps: a webhook URL from the environment (its
// secret is in the path) is shown by scheme and host only, and a target that echoes its request
// cannot put the check's credentials (the password, `user:password`, its Base64) or any
// Authorization / Cookie value into results, `check --json`, `status --json`, the outbox, logs,
// `/api/status` or the store's files. The built binary against real loopback peers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runImos } from '../helpers/cli.js';
import { startHttpTarget, json, type HttpTarget } from '../helpers/http-target.js';
import { startImos, stopImos, waitFor, cleanUpProcesses } from '../helpers/imos-process.js';
import { openStore } from '../../src/store/open.js';
import { seedStore } from '../../src/store/testing/draft.js';

const PASSWORD = 'Pr0be+pa55/word-9x';
const SESSION = 'sess-77f2a9c0d1';
const SECRET_PATH = 'wh00kS3cretPath42xyz';
const TARGET_OWN_COOKIE = 'sid=target-own-8d1f';

describe('secrets never shown (built binary, loopback peers)', () => {
  let dir: string;
  let echo: HttpTarget;
  let hook: HttpTarget;
  let env: NodeJS.ProcessEnv;
  let forms: string[];
  let hookShown: string;

  const leaks = (text: string) => forms.filter((secret) => text.includes(secret));

  beforeAll(async () => {
    const echoLines = (req: import('node:http').IncomingMessage) =>
      [`Authorization: ${req.headers.authorization}`, `Cookie: ${req.headers.cookie}`, `Set-Cookie: ${TARGET_OWN_COOKIE}`].join('\n');
    echo = await startHttpTarget({
      // An echo service: the request's headers as JSON (raw and parsed), and a target's own cookie.
      '/': (req, res) => json(200, { headers: req.headers, raw: req.rawHeaders, 'set-cookie': TARGET_OWN_COOKIE }, res),
      // An error page quoting the request.
      '/text': (req, res) => res.writeHead(401, { 'content-type': 'text/plain' }).end(echoLines(req)),
    });
    hook = await startHttpTarget({ [`/services/T0IMOS/B0IMOS/${SECRET_PATH}`]: (_req, res) => res.writeHead(404).end('no_service') });
    hookShown = `${hook.url}/***`;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-redaction-'));
    await fs.writeFile(
      path.join(dir, 'imos.yaml'),
      [
        'project: Redaction',
        'timezone: UTC',
        'people: { ops: { name: Ops } }',
        'systems: { core: { name: Core, leader: ops } }',
        'defaults: { every: 1s }',
        'checks:',
        `  - { id: echo-json, system: core, kind: http, url: "http://probe:\${PROBE_PASSWORD}@127.0.0.1:${echo.port}/" }`,
        `  - { id: echo-text, system: core, kind: http, url: "http://probe:\${PROBE_PASSWORD}@127.0.0.1:${echo.port}/text", headers: { Cookie: "session=\${SESSION_COOKIE}" } }`,
        'severities:',
        '  CRITICAL: { respond_within: 0m, notify: [webhook, console], escalate: [] }',
        'channels:',
        '  webhook: { url: "${WEBHOOK_URL}" }',
        'store: ./data/imos.json',
        '',
      ].join('\n'),
    );
    const webhookUrl = `${hook.url}/services/T0IMOS/B0IMOS/${SECRET_PATH}`;
    // The password goes into the URL as typed; fetch sends it percent-encoded, decoded in Basic.
    env = { PROBE_PASSWORD: encodeURIComponent(PASSWORD), SESSION_COOKIE: SESSION, WEBHOOK_URL: webhookUrl };
    const pair = `probe:${PASSWORD}`;
    forms = [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      pair,
      Buffer.from(pair).toString('base64'),
      Buffer.from(pair).toString('base64').replace(/=+$/, ''),
      Buffer.from(pair).toString('base64url'),
      SESSION,
      SECRET_PATH,
      'target-own-8d1f',
    ];
  });

  afterAll(async () => {
    await cleanUpProcesses();
    await Promise.all([echo.close(), hook.close()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps echoed credentials out of check --json and status --json, blanking Authorization and Cookie values', async () => {
    const run = await runImos(['check', '--json'], { cwd: dir, env });
    // The target did receive the credentials: they were sent, then echoed back.
    const sent = echo.requests.find((r) => r.path === '/')!;
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`probe:${PASSWORD}`).toString('base64')}`);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    const results = JSON.parse(run.stdout) as Array<{ id: string; metrics: Record<string, unknown>; message: string }>;
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId['echo-text']!.message).toContain('401 Unauthorized');
    expect(byId['echo-text']!.message).toContain('Authorization: ***');

    // The stored detail (what the console's detail pane shows): the echo kept, its credentials blanked.
    const store = await openStore(path.join(dir, 'data/imos.json'));
    const checks = (await store.read('results')).checks;
    await store.close();
    const preview = String((checks['echo-json']!.last!.detail as { bodyPreview: string }).bodyPreview);
    expect(preview).toContain(`"host":"127.0.0.1:${echo.port}"`);
    expect(preview).toContain('"authorization":"***"');
    expect(preview).toContain('"set-cookie":"***"');
    const text = String((checks['echo-text']!.last!.detail as { bodyPreview: string }).bodyPreview);
    expect(text.split('\n')).toEqual(['Authorization: ***', 'Cookie: ***', 'Set-Cookie: ***']);

    const status = await runImos(['status', '--json'], { cwd: dir, env });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('echo-json');
    expect(leaks(status.stdout + status.stderr)).toEqual([]);
  });

  it('shows the webhook URL by scheme and host only in notify test, the outbox, the daemon log and the store', async () => {
    const test = await runImos(['notify', 'test', 'webhook'], { cwd: dir, env });
    expect(test.exitCode).toBe(1);
    expect(test.stderr).toContain(`webhook ${hookShown} answered HTTP 404`);
    expect(leaks(test.stdout + test.stderr)).toEqual([]);

    // The daemon opens the alert for echo-text (401) and notifies the webhook, which refuses it.
    const daemon = startImos(['daemon'], { cwd: dir, env });
    await waitFor('a failed webhook notice', daemon, 20_000, async () => {
      const outbox = await runImos(['notify', 'outbox', '--json'], { cwd: dir, env });
      const rows = JSON.parse(outbox.stdout || '[]') as Array<{ channel: string; state: string }>;
      return rows.some((r) => r.channel === 'webhook' && r.state === 'failed') ? true : undefined;
    });
    await stopImos(daemon);
    expect(daemon.stderr()).toContain(hookShown);
    expect(leaks(daemon.stderr() + daemon.stdout())).toEqual([]);

    const outbox = await runImos(['notify', 'outbox'], { cwd: dir, env });
    expect(outbox.stdout).toContain(`webhook ${hookShown} answered HTTP 404`);
    expect(leaks(outbox.stdout)).toEqual([]);
    const outboxJson = await runImos(['notify', 'outbox', '--json'], { cwd: dir, env });
    expect(leaks(outboxJson.stdout)).toEqual([]);

    // Nothing in the store's files either (results, alerts, outbox, audit, history).
    for (const name of await fs.readdir(path.join(dir, 'data'), { recursive: true })) {
      const file = path.join(dir, 'data', String(name));
      if ((await fs.stat(file)).isFile()) expect(leaks(await fs.readFile(file, 'utf8')), file).toEqual([]);
    }
  }, 60_000);

  it('redacts as shown what an older record kept: notify outbox and /api/status of imos serve', async () => {
    const store = await openStore(path.join(dir, 'data/imos.json'));
    const leaked = `webhook ${env.WEBHOOK_URL} answered HTTP 500; Authorization: Basic ${Buffer.from(`probe:${PASSWORD}`).toString('base64')}`;
    await store.transact('core', (tx) => tx.audit({ at: new Date().toISOString(), actor: 'imos', action: 'notify-failed', target: 'old-1', note: leaked }));
    await seedStore(store, {
      outbox: [
        {
          id: 'old-1', channel: 'webhook', kind: 'alert', alertId: null, to: [], subject: 's', text: 't', state: 'failed', attempts: 8,
          lastError: leaked, nextAttemptAt: '2026-01-05T00:00:00.000Z', createdAt: '2026-01-05T00:00:00.000Z', sentAt: null,
        },
      ],
    });
    await store.close();
    const outbox = await runImos(['notify', 'outbox', '--json'], { cwd: dir, env });
    expect(outbox.stdout).toContain('old-1');
    expect(leaks(outbox.stdout)).toEqual([]);

    const serve = startImos(['serve', '--port', '0'], { cwd: dir, env });
    const url = await waitFor('imos serve to listen', serve, 15_000, () => serve.stderr().match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1]);
    const answer = await (await fetch(`${url}/api/status`)).text();
    // The dashboard's recent actions quote the older audit entry.
    const page = await (await fetch(`${url}/dashboard`)).text();
    await stopImos(serve);
    expect(page).toContain('notify-failed');
    expect(page).toContain(hookShown);
    expect(leaks(page)).toEqual([]);
    expect(answer).toContain('old-1');
    expect(answer).toContain(hookShown);
    expect(leaks(answer)).toEqual([]);
    expect(leaks(serve.stderr())).toEqual([]);
  }, 40_000);
});
