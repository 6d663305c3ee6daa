// Detection: a target going down until its alert is in the store, and until the Slack message has
// reached Slack. The real daemon (`imos daemon`, the built binary) polls a loopback HTTP target
// every INTERVAL with a failure threshold of THRESHOLD and notifies the loopback Slack Web API
// (test/helpers/slack-api.ts, which records when each message arrived). The target goes down at a
// random moment of the check's cycle, RUNS times (coming back up in between, the alert resolved).
// Targets: down → alert stored ≤ INTERVAL × THRESHOLD + 1 s; alert stored → Slack has it ≤ 2 s.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { startHttpTarget } from '../../test/helpers/http-target.js';
import { startSlackApi } from '../../test/helpers/slack-api.js';
import { figures, report, target } from './measure.js';

const INTERVAL_MS = 2_000;
const THRESHOLD = 2;
const RUNS = 6;
const STORE_LIMIT_MS = INTERVAL_MS * THRESHOLD + 1_000;
const SLACK_LIMIT_MS = 2_000;
/** Every wait is bounded: a run that never alerts is reported, not waited for. */
const WAIT_MS = 30_000;
const POLL_MS = 20;

const root = process.cwd();
const bin = path.join(root, 'bin/imos.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-detection-'));
let down = false;
const targetServer = await startHttpTarget({ '/health': (_req, res) => res.writeHead(down ? 503 : 200).end(down ? 'down' : 'ok') });
const slack = await startSlackApi();
fs.writeFileSync(
  path.join(dir, 'imos.yaml'),
  `project: Detection bench
people:
  suno: { name: Suno, slack: U01SUNO }
systems: { pms: { name: PMS, leader: suno } }
defaults: { every: ${INTERVAL_MS / 1000}s, timeout: 1s, failure_threshold: ${THRESHOLD}, success_threshold: 1 }
checks:
  - { id: api, system: pms, kind: http, url: "${targetServer.url}/health", severity: CRITICAL }
severities:
  CRITICAL: { respond_within: 60m, notify: [slack] }
channels:
  slack: { token: "\${SLACK_BOT_TOKEN}", signing_secret: "\${SLACK_SIGNING_SECRET}", channel: "#ops", api_url: "${slack.url}" }
store: ./state/imos.json
`,
);

const env: NodeJS.ProcessEnv = { ...process.env, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'bench-signing' };
delete env.CI;
const daemon: ChildProcess = spawn(process.execPath, [bin, 'daemon'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
let daemonLog = '';
daemon.stdout!.on('data', (d) => (daemonLog += String(d)));
daemon.stderr!.on('data', (d) => (daemonLog += String(d)));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`the daemon exited (${daemon.exitCode}) while waiting for ${what}\n${daemonLog}`);
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(POLL_MS);
  }
  throw new Error(`no ${what} within ${WAIT_MS / 1000} s\n${daemonLog}`);
}

const toStore: number[] = [];
const toSlack: number[] = [];
let failed: string | null = null;
try {
  await until('the daemon to start', () => (daemonLog.includes('daemon started') ? true : undefined));
  const store = await openStore(path.join(dir, 'state/imos.json'));
  const openAlert = async () => (await store.read('core')).alerts.find((a) => a.checkId === 'api' && a.state !== 'resolved');
  // The daemon is polling (the first result is stored) before the first outage.
  await until('first result', async () => ((await store.read('results')).checks.api ? true : undefined));
  for (let run = 0; run < RUNS; run++) {
    // Down at a random moment of the check's cycle.
    await sleep(Math.random() * INTERVAL_MS);
    const before = slack.topLevel().length;
    const wentDown = Date.now();
    down = true;
    const alert = await until('alert in the store', async () => ((await openAlert()) ? Date.now() : undefined));
    toStore.push(alert - wentDown);
    const message = await until('Slack message', () => slack.messages.filter((m) => !m.threadTs)[before]);
    toSlack.push(Math.max(0, message.at - alert));
    down = false;
    await until('resolution', async () => ((await openAlert()) ? undefined : true));
  }
  await store.close();
} catch (error) {
  failed = error instanceof Error ? error.message : String(error);
  console.log(`detection: ${failed}`);
} finally {
  daemon.kill('SIGTERM');
  await Promise.race([new Promise((resolve) => daemon.once('exit', resolve)), sleep(10_000)]);
  if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
  await Promise.all([targetServer.close(), slack.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
}

const stored = figures(toStore);
const sent = figures(toSlack);
if (toStore.length > 0) report(`target down → alert in the store (every ${INTERVAL_MS / 1000} s, threshold ${THRESHOLD})`, stored);
if (toSlack.length > 0) report('alert in the store → Slack has the message', sent);
const storeOk = target(
  'detection: down → alert stored, max',
  toStore.length === RUNS ? stored.max : Number.NaN,
  STORE_LIMIT_MS,
  'ms',
  failed ?? `the slowest of ${RUNS} outages took ${stored.max.toFixed(0)} ms: interval × threshold is ${INTERVAL_MS * THRESHOLD} ms, the rest is the check's run and the store write`,
);
const slackOk = target(
  'detection: alert stored → Slack has it, max',
  toSlack.length === RUNS ? sent.max : Number.NaN,
  SLACK_LIMIT_MS,
  'ms',
  failed ?? `the slowest of ${RUNS} messages arrived ${sent.max.toFixed(0)} ms after its alert was stored`,
);
process.exitCode = storeOk && slackOk ? 0 : failed ? 1 : 2;
