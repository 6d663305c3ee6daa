// `imos daemon` and `imos serve` on a JSON store, sent SIGTERM while they hold one of its file
// locks: each stops cleanly (exit 0, "stopping") and leaves no lock behind, so the next writer
// gets in at once, not after the stale time. The store's lock library releases its locks from an
// exit hook that also acts on signals when no other handler is there; the commands' own SIGTERM
// handlers must keep that working and keep it from cutting their stop short, a second SIGTERM
// during the stop included.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/store/json-store.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';
import { cleanUpProcesses, startImos, waitFor, type Running } from '../helpers/imos-process.js';
import { ackPayload, postSlack, signed } from '../helpers/slack-api.js';

const dirs: string[] = [];
const peers: HeldPeer[] = [];
afterEach(async () => {
  await cleanUpProcesses();
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A loopback peer (a webhook, Slack's response URL) that answers nothing until released: a stop
 * waits for a send under way, so the second SIGTERM is sure to reach the process while it stops,
 * however quickly the stop would otherwise end.
 */
interface HeldPeer {
  origin: string;
  /** How many requests have come in (held until release). */
  received(): number;
  /** Answer what is held (204) and everything after it at once. */
  release(): void;
  close(): Promise<void>;
}

async function startHeldPeer(): Promise<HeldPeer> {
  let released = false;
  const held: http.ServerResponse[] = [];
  let received = 0;
  const answer = (res: http.ServerResponse) => res.writeHead(204).end();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      if (released) answer(res);
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer: HeldPeer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    release() {
      released = true;
      for (const res of held.splice(0)) answer(res);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  peers.push(peer);
  return peer;
}

function project(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'imos-stop-locks-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'imos.yaml'), yaml);
  return dir;
}

const locksIn = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((name) => name.includes('.lock'));
  } catch {
    return []; // not made yet
  }
};

/** SIGTERM the moment one of the store's lock directories exists; the name of that lock. */
async function terminateWhileLocked(run: Running, stateDir: string): Promise<string> {
  const deadline = Date.now() + HANG_MS;
  for (let i = 0; i < 1_000_000 && Date.now() < deadline; i++) {
    const held = locksIn(stateDir).find((name) => name.endsWith('.lock'));
    if (held) {
      run.child.kill('SIGTERM');
      return held;
    }
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never saw a lock in ${stateDir}\n${run.stderr()}`);
}

/**
 * A second SIGTERM the moment the first has the command stopping (its "stopping" line), while it
 * releases its locks and hands the lease back; whether it was sent to a live process.
 */
function terminateAgainWhenStopping(run: Running): Promise<boolean> {
  return new Promise((resolve) => {
    const onData = () => {
      if (!run.stderr().includes('stopping')) return;
      run.child.stderr!.off('data', onData);
      resolve(run.child.kill('SIGTERM'));
    };
    run.child.stderr!.on('data', onData);
    void run.exited.then(() => {
      run.child.stderr!.off('data', onData);
      resolve(false);
    });
  });
}

/** Ended by itself within the bound, as it would be after a clean stop. */
async function exitOf(run: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const exit = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), HANG_MS))]);
  expect(exit, `still running ${HANG_MS} ms after SIGTERM\n${run.stderr()}`).not.toBeNull();
  return exit!;
}

/**
 * SIGTERM while a lock is held (and, when the stop waits on `heldPeer`, again as soon as it is
 * stopping, the peer released once the command has said it was stopping already): the command
 * ends by itself with exit 0, having said it was stopping.
 */
async function stopsCleanly(run: Running, stateDir: string, heldPeer: HeldPeer | null): Promise<void> {
  const again = heldPeer ? terminateAgainWhenStopping(run) : null;
  const held = await terminateWhileLocked(run, stateDir);
  if (again) {
    expect(await again, `the second SIGTERM reached the process while it lived\n${run.stderr()}`).toBe(true);
    await waitFor('the second SIGTERM to be told', run, HANG_MS, () => (/SIGTERM again: already stopping/.test(run.stderr()) ? true : undefined));
    // The stop waits for the send under way (held for far longer than this pause).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(run.child.exitCode, `stopped without waiting for the held send\n${run.stderr()}`).toBeNull();
    heldPeer!.release();
  }
  const exit = await exitOf(run);
  expect(exit, `SIGTERM with ${held} held\n${run.stderr()}`).toEqual({ code: 0, signal: null });
  expect(run.stderr()).toContain('stopping');
  // The send the stop waited for was answered, not given up on.
  if (heldPeer) expect(run.stderr()).not.toMatch(/timed out|could not reply/);
}

/**
 * The next writer of every section: its lock is never judged stale (10 minutes), so a lock left
 * behind would keep it out for the whole bound and fail it.
 */
async function nextWriterGetsIn(storePath: string): Promise<void> {
  const store = new JsonStore(storePath, { lock: { staleMs: 600_000, timeoutMs: HANG_MS } });
  try {
    await store.transact('core', (tx) => tx.audit({ at: new Date().toISOString(), actor: 'ann', action: 'note', target: 'after-stop' }));
    await store.transact('results', (tx) => void tx.put('checks', { id: 'after-stop', last: null, failures: 0, successes: 0, status: 'pending', since: null }));
    await store.transact('history', () => undefined);
    expect((await store.readAudit({ target: 'after-stop' })).map((e) => e.action)).toEqual(['note']);
  } finally {
    await store.close();
  }
}

const DAEMON_PROJECT = `project: Stop with locks\nsystems: { pms: { name: PMS } }\ndefaults: { every: 1s }\nchecks:\n  - { id: quick, system: pms, kind: command, run: [sh, -c, "exit 0"] }\nstore: ./state/imos.json\n`;

/** The daemon's project with a check that fails at once, its alert sent to `webhook` (a peer that holds it). */
const daemonProjectNotifying = (webhook: HeldPeer) =>
  DAEMON_PROJECT.replace(
    'store:',
    `  - { id: down, system: pms, kind: command, run: [sh, -c, "exit 3"], failure_threshold: 1, thresholds: { HIGH: ["exit != 0"] } }\n` +
      `channels:\n  webhook: { url: "${webhook.origin}/hook" }\nseverities:\n  HIGH: { respond_within: 1h, notify: [webhook] }\nstore:`,
  );

/**
 * `imos daemon` started in `dir`, sent SIGTERM while it holds a lock (and again once stopping,
 * when its stop waits on `heldPeer`): it stops cleanly.
 */
async function stopDaemon(dir: string, heldPeer: HeldPeer | null): Promise<void> {
  const stateDir = path.join(dir, 'state');
  const run = startImos(['daemon'], { cwd: dir });
  await waitFor('the daemon to start', run, HANG_MS, () => (run.stderr().includes('imos daemon started') ? true : undefined));
  // The alert's notice is on its way and held: the daemon's stop waits for the send.
  if (heldPeer) await waitFor('the alert\'s webhook to be sent', run, HANG_MS, () => (heldPeer.received() > 0 ? true : undefined));
  await stopsCleanly(run, stateDir, heldPeer);
  expect(locksIn(stateDir)).toEqual([]);
  const store = new JsonStore(path.join(stateDir, 'imos.json'));
  expect((await store.read('lease')).holder, 'the lease is handed back').toBeNull();
  await store.close();
}

/**
 * `imos serve` in the middle of Slack presses, sent SIGTERM while it holds a lock: it stops
 * cleanly. When `twice`, a press is being answered through a Slack reply that a peer holds, so
 * the stop waits for it, and a second SIGTERM comes as soon as it is stopping.
 */
async function stopServe(twice: boolean): Promise<void> {
  const secret = 'stop-locks-signing-secret';
  const slackPeer = twice ? await startHeldPeer() : null;
  const apiUrl = slackPeer ? `, api_url: "${slackPeer.origin}/api/"` : '';
  const dir = project(
    `project: Stop with locks\nsystems: { pms: { name: PMS } }\nchannels:\n  slack: { signing_secret: "${secret}", channel: "#ops"${apiUrl} }\nstore: ./state/imos.json\n`,
  );
  const stateDir = path.join(dir, 'state');
  const run = startImos(['serve', '--port', '0'], { cwd: dir });
  const url = await waitFor('imos serve to listen', run, HANG_MS, () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stderr())?.[1]);

  // Signed requests, each new: every one is recorded by the replay guard (a core write under
  // its lock) before it is read (these are not button presses: answered 400).
  let sent = 0;
  let answered = 0;
  let presses = true;
  const pressing = (async () => {
    for (let i = 0; presses && i < 100_000; i++) {
      const body = `payload=${encodeURIComponent(JSON.stringify({ n: i }))}`;
      sent++;
      const status = await fetch(`${url}/slack/actions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...signed(body, Date.now(), secret) }, body }).then(
        (res) => res.status,
        () => null, // the server has closed
      );
      if (status === null) break;
      expect(status).toBe(400);
      answered++;
    }
  })();
  try {
    await waitUntil('the first press to be stored', () => answered > 0, HANG_MS, 10);
    if (slackPeer) {
      // Someone outside `people` presses Acknowledge: refused, and told so through the response URL,
      // which the peer holds.
      const body = ackPayload('A1', { id: 'U99STRANGER', username: 'stranger' }, 'imos_ack', `${slackPeer.origin}/actions/T1/1/x`);
      expect((await postSlack(url, body, signed(body, Date.now(), secret))).status).toBe(200);
      await waitFor('the refusal to be sent to Slack', run, HANG_MS, () => (slackPeer.received() > 0 ? true : undefined));
    }
    await stopsCleanly(run, stateDir, slackPeer);
  } finally {
    presses = false;
    await pressing;
  }
  expect(sent).toBeGreaterThan(1);
  expect(locksIn(stateDir)).toEqual([]);
  await nextWriterGetsIn(path.join(stateDir, 'imos.json'));
}

describe('SIGTERM while a JSON store lock is held', () => {
  it('imos daemon stops cleanly, the lease handed back, and leaves no lock behind', async () => {
    const dir = project(DAEMON_PROJECT);
    // Three times: the signal lands at a different point of a write each time.
    for (let round = 0; round < 3; round++) await stopDaemon(dir, null);
    await nextWriterGetsIn(path.join(dir, 'state', 'imos.json'));
  }, 6 * HANG_MS);

  it('imos daemon sent SIGTERM again while it stops carries on with the one stop: exit 0, the lease handed back, no lock left', async () => {
    // Each round a new project: its alert's notice is the send the stop waits for.
    for (let round = 0; round < 2; round++) {
      const peer = await startHeldPeer();
      const dir = project(daemonProjectNotifying(peer));
      await stopDaemon(dir, peer);
      await nextWriterGetsIn(path.join(dir, 'state', 'imos.json'));
    }
  }, 5 * HANG_MS);

  for (const twice of [false, true]) {
    const title = twice
      ? 'imos serve sent SIGTERM again while it stops in the middle of Slack presses carries on with the one stop: exit 0, no lock left'
      : 'imos serve stops cleanly in the middle of Slack presses (each stored under the lock) and leaves no lock behind';
    it(title, () => stopServe(twice), 4 * HANG_MS);
  }
});
