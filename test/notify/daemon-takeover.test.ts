// Two `imos daemon` processes on one store with a loopback Slack: the holder is killed (kill -9)
// while Slack has not answered its escalation update; the other daemon takes over and the
// escalation reaches Slack within seconds (not after the dead holder's 5 min claim), once.
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMOS_BIN } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

let dir: string;
let target: HttpTarget;
let slack: SlackApi;
const daemons: ResultPromise[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-takeover-'));
  [target, slack] = await Promise.all([startHttpTarget({ '/health': (_req, res) => res.writeHead(503).end('down') }), startSlackApi()]);
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Takeover test
people:
  manager: { name: Manager, slack: U01MANAGER }
  suno: { name: Suno, slack: U01SUNO }
systems: { pms: { name: PMS, leader: suno } }
defaults: { every: 1s, failure_threshold: 1 }
checks:
  - { id: api, system: pms, kind: http, url: "${target.url}/health", severity: CRITICAL }
severities:
  CRITICAL:
    respond_within: 0m
    notify: [slack]
    escalate:
      - { after: 3s, to: [manager] }
channels:
  slack: { token: "\${SLACK_BOT_TOKEN}", signing_secret: "\${SLACK_SIGNING_SECRET}", channel: "#ops", api_url: "${slack.url}" }
store: ./state/imos.json
`,
  );
});

afterAll(async () => {
  for (const d of daemons) d.kill('SIGKILL');
  await Promise.all([target.close(), slack.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function startDaemon(): ResultPromise {
  const env: NodeJS.ProcessEnv = { ...process.env, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'test-signing' };
  delete env.CI;
  const child = execa(process.execPath, [IMOS_BIN, 'daemon'], { cwd: dir, env, extendEnv: false, reject: false, timeout: 60_000 });
  daemons.push(child);
  return child;
}

const managerReplies = () => slack.messages.filter((m) => m.threadTs && m.text.includes('<@U01MANAGER>'));

describe('escalation across a takeover', () => {
  it('the successor sends what the killed holder had in flight at once, and only once', async () => {
    // The escalation's update (the first chat.update of the run): Slack never answers it. Scripted
    // before anything starts, so that no escalation can slip by before it is (a loaded machine).
    slack.script('chat.update', { hang: true });
    const first = startDaemon();
    await waitUntil('the alert in Slack', () => slack.topLevel().length === 1, 2 * HANG_MS);
    const second = startDaemon();
    let secondSaid = '';
    second.stderr!.on('data', (d) => (secondSaid += String(d)));
    await waitUntil('the escalation update in flight', () => slack.calls.some((c) => c.method === 'chat.update'), HANG_MS);
    // The successor is up and waiting (its start is no part of the takeover's time).
    await waitUntil('the second daemon to wait for the lease', () => secondSaid.includes('waiting to take over'), 2 * HANG_MS);
    first.kill('SIGKILL');
    await first;
    const killedAt = Date.now();
    await waitUntil('the escalation reply from the successor', () => managerReplies().length > 0, HANG_MS);
    expect(Date.now() - killedAt).toBeLessThan(HANG_MS); // not the claim's 5 min

    await new Promise((r) => setTimeout(r, 2000)); // nothing more arrives
    expect(slack.topLevel()).toHaveLength(1);
    expect(managerReplies()).toHaveLength(1);
    second.kill('SIGTERM');
    expect((await second).exitCode).toBe(0);
  }, 90_000);
});
