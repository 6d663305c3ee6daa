// The Acknowledge button from outside, against the real `imos serve`: requests signed exactly as
// Slack signs them (v0 HMAC-SHA256 of `v0:timestamp:body`) over real HTTP. A replay is refused
// after a restart and by another server on the same store, not only by the process that saw it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { runImos } from '../helpers/cli.js';
import { startImos, stopImos, waitFor, cleanUpProcesses, type Running } from '../helpers/imos-process.js';
import { HANG_MS } from '../helpers/bounds.js';
import { ackPayload, postSlack, signed, startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { openStore } from '../../src/store/open.js';
import { seedStore } from '../../src/store/testing/draft.js';
import { makeAlert } from '../helpers/alerts.js';

const SIGNING_SECRET = 'e2e-signing-secret-5b1c';

describe('Slack actions against imos serve (built binary)', () => {
  let dir: string;
  let slack: SlackApi;
  let env: NodeJS.ProcessEnv;
  let responseUrl: string;

  const serve = async (): Promise<{ run: Running; url: string }> => {
    const run = startImos(['serve', '--port', '0'], { cwd: dir, env });
    const url = await waitFor('imos serve to listen', run, 15_000, () => run.stderr().match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1]);
    return { run, url };
  };
  const alert = async (id: string) => {
    const store = await openStore(path.join(dir, 'data/imos.json'));
    try {
      return (await store.read('core')).alerts.find((a) => a.id === id)!;
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    slack = await startSlackApi();
    responseUrl = slack.url.replace(/\/api\/$/, '/actions/T1/42/abc');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-slack-e2e-'));
    await fs.writeFile(
      path.join(dir, 'imos.yaml'),
      [
        'project: Slack actions',
        'timezone: UTC',
        'people:',
        '  manager: { name: Manager, slack: U01MANAGER }',
        'systems: { core: { name: Core, leader: manager } }',
        'checks: []',
        'channels:',
        '  slack:',
        '    token: xoxb-test-token',
        '    signing_secret: ${SLACK_SIGNING_SECRET}',
        '    channel: "#ops"',
        `    api_url: ${slack.url}`,
        'store: ./data/imos.json',
        '',
      ].join('\n'),
    );
    env = { SLACK_SIGNING_SECRET: SIGNING_SECRET };
    const store = await openStore(path.join(dir, 'data/imos.json'));
    await seedStore(store, { alerts: [makeAlert({ id: 'A1', system: 'core' }), makeAlert({ id: 'A2', system: 'core', checkId: 'other' })] });
    await store.close();
  });

  afterAll(async () => {
    await cleanUpProcesses();
    await slack.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses a replay of a genuine request after a restart, and on another server of the store', async () => {
    const press = ackPayload('A1', { id: 'U01MANAGER', username: 'mgr' }, 'imos_ack', responseUrl);
    const headers = signed(press, Date.now(), SIGNING_SECRET);
    const first = await serve();
    expect((await postSlack(first.url, press, headers)).status).toBe(200);
    await waitFor('the acknowledgement', first.run, HANG_MS, async () => ((await alert('A1')).state === 'acknowledged' ? true : undefined));
    // Withdrawn, so that a replay would acknowledge it again.
    expect((await runImos(['unack', 'A1', '--as', 'manager'], { cwd: dir, env })).exitCode).toBe(0);
    await stopImos(first.run);

    const second = await serve();
    const replay = await postSlack(second.url, press, headers);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toMatch(/already seen \(replay\)/);

    // Two servers on one store: what one admitted, the other refuses.
    const third = await serve();
    const other = ackPayload('A2', { id: 'U01MANAGER', username: 'mgr' }, 'imos_ack', responseUrl);
    const otherHeaders = signed(other, Date.now(), SIGNING_SECRET);
    expect((await postSlack(third.url, other, otherHeaders)).status).toBe(200);
    expect((await postSlack(second.url, other, otherHeaders)).status).toBe(401);
    await waitFor('the second acknowledgement', third.run, HANG_MS, async () => ((await alert('A2')).state === 'acknowledged' ? true : undefined));
    await Promise.all([stopImos(second.run), stopImos(third.run)]);
    expect((await alert('A1')).state).toBe('open');
  }, 60_000);

  it('answers 400 to a signed payload that is null or malformed, 413 to an oversized body (read, not reset), and tells an outsider privately', async () => {
    const { run, url } = await serve();
    try {
      const form = (payload: string) => new URLSearchParams({ payload }).toString();
      for (const payload of ['null', '42', '[]', '"text"', '{"type":"block_actions","actions":"x","user":{"id":"U01MANAGER"}}', '{"type":"block_actions","actions":[{"action_id":"imos_ack","value":"A1"}],"user":"U01MANAGER"}']) {
        const body = form(payload);
        const res = await postSlack(url, body, signed(body, Date.now(), SIGNING_SECRET));
        expect(res.status, payload).toBe(400);
      }
      // Oversized, with a Content-Length (fetch) and streamed without one (chunked): a 413 answer either way.
      const big = 'payload=' + 'x'.repeat(2 * 1024 * 1024);
      const declared = await postSlack(url, big, signed(big, Date.now(), SIGNING_SECRET));
      expect(declared.status).toBe(413);
      expect(((await declared.json()) as { error: string }).error).toMatch(/request body too large/);
      const streamed = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${url}/slack/actions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 0x78);
        let sent = 0;
        const pump = () => {
          while (sent < 40) {
            sent++;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(streamed).toBe(413);
      // The server still answers.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      // A Slack user not in people: nothing changes, they are told privately why.
      const stranger = ackPayload('A1', { id: 'U99STRANGER', username: 'stranger' }, 'imos_ack', responseUrl);
      expect((await postSlack(url, stranger, signed(stranger, Date.now(), SIGNING_SECRET))).status).toBe(200);
      const told = await waitFor('the ephemeral answer', run, HANG_MS, () => slack.responses.find((r) => String(r.body.text).includes('U99STRANGER')));
      expect(told.body).toMatchObject({ response_type: 'ephemeral' });
      expect(String(told.body.text)).toMatch(/^Not acknowledged: your Slack user \(U99STRANGER\) is not one of this project's people in imos/);
      expect((await alert('A1')).state).toBe('open');
    } finally {
      await stopImos(run);
    }
  }, 60_000);
});
