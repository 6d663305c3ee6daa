// A playbook action's Slack button against the real HTTP face: signed as Slack signs, it runs the
// real script only when the playbook allows Slack actions, for a person of `people` whom `allow`
// names; everyone else is told why and nothing runs. The presser hears the outcome.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { seedStore } from '../../src/store/testing/draft.js';
import { systemClock } from '../../src/time/clock.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';
import { ackPayload, postSlack, signed, startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { notifyConfig, SIGNING_SECRET, tempStore } from '../helpers/notify-fixtures.js';
import { makeAlert } from '../helpers/alerts.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

describe('a playbook action pressed in Slack', () => {
  let slack: SlackApi;
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer;
  let allowSlack = true;
  let responseUrl: string;
  const marker = () => path.join(dir, 'ran');

  beforeAll(async () => {
    slack = await startSlackApi();
    responseUrl = slack.url.replace(/\/api\/$/, '/actions/T1/42/abc');
    ({ store, dir, cleanup } = await tempStore());
    await fs.writeFile(path.join(dir, 'restart.sh'), '#!/bin/sh\necho "restarted by $1"\necho x >> ./ran\n', { mode: 0o755 });
    const playbook = (): PlaybookConfig => ({
      id: 'member-down',
      alertTypes: [],
      checks: ['member-api'],
      coordinate: ['leader'],
      runbook: 'Restart it.',
      actions: [
        { id: 'restart', title: 'Restart', run: ['./restart.sh', 'slack'], cwd: dir, env: {}, timeoutMs: 10_000, confirm: null, allow: ['leader'], overlap: false, keepLines: 50, args: [] },
        { id: 'wipe', title: 'Wipe', run: ['./restart.sh', 'wipe'], cwd: dir, env: {}, timeoutMs: 10_000, confirm: 'wipe it', allow: ['anyone'], overlap: false, keepLines: 50, args: [] },
      ],
      allowSlackActions: allowSlack,
    });
    const config = notifyConfig({ slackApiUrl: slack.url });
    Object.defineProperty(config, 'playbooks', { get: () => [playbook()] });
    await seedStore(store, { alerts: [makeAlert({ id: 'A1' })] });
    server = await startServer({ store, config, clock: systemClock, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
    await slack.close();
  });

  const press = async (action: string, user: { id: string; username: string }) => {
    const before = slack.responses.length;
    const body = ackPayload('A1 ' + action, user, `imos_run:${action}`, responseUrl);
    const res = await postSlack(server.url, body, signed(body, Date.now(), SIGNING_SECRET));
    expect(res.status).toBe(200);
    // The run happens after the answer: wait for what the presser is told at the end.
    await waitUntil('the outcome told', () => slack.responses.slice(before).some((r) => /Not run|exit|Could not/.test(String(r.body.text))), HANG_MS, 25);
    return slack.responses.slice(before).map((r) => String(r.body.text));
  };
  const ranLines = async () => (await fs.readFile(marker(), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

  it('runs it for the system leader and tells them the outcome; the run is in the alert history', async () => {
    const told = await press('restart', { id: 'U01SUNO', username: 'suno.s' });
    expect(told[0]).toBe('Running restart for A1: `./restart.sh slack`');
    expect(told[1]).toMatch(/^restart for A1: exit 0 after .*\n```restarted by slack```$/);
    expect(await ranLines()).toBe(1);
    const entry = (await store.readAudit()).find((e) => e.action === 'action-run')!;
    expect(entry).toMatchObject({ actor: 'suno', target: 'A1', detail: { playbook: 'member-down', action: 'restart', exitCode: 0 } });
    // Then the alert's check runs at once, so that the run's effect shows.
    const checked = await waitUntil('the alert\'s check to run', async () => (await store.read('results')).checks['member-api']?.last ?? null, HANG_MS, 25);
    expect(Date.parse(checked.at)).toBeGreaterThanOrEqual(Date.parse(entry.at) - 1000);
  });

  it('runs nothing for someone allow does not name, nor for a Slack user outside people', async () => {
    expect(await press('restart', { id: 'U01OWNER', username: 'owner' })).toEqual([
      'Not run: owner may not run restart: playbooks.member-down.actions.restart.allow is [leader (suno)]',
    ]);
    expect((await press('restart', { id: 'U99STRANGER', username: 'stranger' }))[0]).toMatch(/^Not run: your Slack user \(U99STRANGER\) is not one of this project's people/);
    expect(await ranLines()).toBe(1);
  });

  it('runs nothing that asks for a phrase, and nothing when the playbook does not allow Slack actions', async () => {
    expect((await press('wipe', { id: 'U01SUNO', username: 'suno.s' }))[0]).toMatch(/^Not run: wipe asks for a confirmation phrase/);
    allowSlack = false;
    expect(await press('restart', { id: 'U01SUNO', username: 'suno.s' })).toEqual(['Not run: playbook member-down does not allow Slack actions (allow_slack_actions)']);
    expect(await ranLines()).toBe(1);
  });
});
