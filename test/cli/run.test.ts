// `imos run ALERT ACTION`: the built binary running real scripts of a playbook — success,
// failure, a hang past the timeout, a flood of output, escape sequences — with its guard rails
// (who may run it, one run at a time across processes, confirmation) and its records.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_HANG_MS, HANG_MS, waitUntil } from '../helpers/bounds.js';
import { IMOS_BIN, runImos } from '../helpers/cli.js';
import { openStore } from '../../src/store/open.js';
import { isProcessRunning } from '../../src/processes.js';

let dir: string;

const SCRIPTS: Record<string, string> = {
  'fix.sh': 'echo "re-running the sync"\necho "3 rows caught up" >&2\ntouch ./state/fixed\n',
  'fail.sh': 'echo "giving up with $1"\nexit "$1"\n',
  'hang.sh': 'echo $$ > ./state/hang.pid\nsleep 30 &\necho $! > ./state/child.pid\nwait\n',
  'flood.sh': 'i=0\nwhile [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done\n',
  'escapes.sh': "printf '\\033]0;pwned\\007\\033[2J\\033[31mred\\033[0m plain\\n'\nprintf 'token is %s\\n' \"$API_TOKEN\"\nprintf 'imos token: %s\\n' \"${SLACK_BOT_TOKEN:-not passed}\"\n",
  'slow.sh': 'echo $$ > ./state/slow.pid\necho started\ni=0\nwhile [ ! -f ./state/release ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done\necho released\n',
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-run-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.mkdirSync(path.join(dir, 'state'));
  for (const [name, body] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(dir, 'scripts', name), `#!/bin/sh\n${body}`, { mode: 0o755 });
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Run test
people:
  manager: { name: Manager }
  luna: { name: Luna }
  sun: { name: Sun }
systems:
  core: { name: Core, leader: manager }
  pms: { name: PMS, leader: luna, depends_on: [core] }
checks:
  - id: fixed
    system: pms
    kind: command
    run: [test, -f, ./state/fixed]
    failure_threshold: 1
  - id: ready
    system: pms
    kind: command
    run: [test, -f, ./state/ready]
    failure_threshold: 1
gates:
  business:
    - { id: ready-gate, name: ready for business, require: [{ check: ready }] }
playbooks:
  gate-recovery:
    alert_types: [QUALITY_GATE]
    actions:
      get-ready: { run: [touch, ./state/ready], allow: [anyone] }
  pms-recovery:
    checks: [fixed]
    coordinate: [leader]
    runbook: Re-run the sync.
    actions:
      fix: { run: [./scripts/fix.sh], allow: [leader] }
      fail: { run: [./scripts/fail.sh, "{code}"], allow: [anyone], args: { code: { pattern: "[0-9]+" } } }
      hang: { run: [./scripts/hang.sh], timeout: 1s, allow: [anyone] }
      flood: { run: [./scripts/flood.sh], keep_output: 50, allow: [anyone] }
      escapes: { run: [./scripts/escapes.sh], allow: [anyone], env: { API_TOKEN: "tok-8c1f9a2b77" } }
      slow: { run: [./scripts/slow.sh], allow: [anyone] }
      careful: { run: [./scripts/fix.sh], confirm: fix it now, allow: [anyone] }
store: ./state/imos.json
`,
  );
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const imos = (args: string[], options: { input?: string; timeoutMs?: number } = {}) => runImos(args, { cwd: dir, ...options });

/** `imos run A1 slow` as sun, once its claim is stored and its script runs (the script's pid). */
async function startSlowRun() {
  fs.rmSync(path.join(dir, 'state', 'release'), { force: true });
  fs.rmSync(path.join(dir, 'state', 'slow.pid'), { force: true });
  const startedRuns = (await audit()).filter((e) => e.action === 'action-start').length;
  const run = execa(process.execPath, [IMOS_BIN, 'run', 'A1', 'slow', '--yes', '--as', 'sun'], { cwd: dir, reject: false, timeout: CLI_HANG_MS });
  await waitUntil('the run to start its program', async () => fs.existsSync(path.join(dir, 'state', 'slow.pid')) && (await audit()).filter((e) => e.action === 'action-start').length > startedRuns, HANG_MS, 25);
  return { run, script: Number(fs.readFileSync(path.join(dir, 'state', 'slow.pid'), 'utf8')) };
}

async function audit() {
  const store = await openStore(path.join(dir, 'state', 'imos.json'));
  try {
    return await store.readAudit();
  } finally {
    await store.close();
  }
}

describe('imos run', () => {
  it('opens the alert first (the check fails)', async () => {
    const check = await imos(['check']);
    expect(check.exitCode).toBe(2);
    expect((await imos(['alerts', '--json'])).stdout).toContain('"id": "A1"');
  });

  it('exits with the action\'s own code, its output on stdout, and records the run', async () => {
    const failed = await imos(['run', 'A1', 'fail', '--yes', '--arg', 'code=3', '--as', 'sun']);
    expect(failed.exitCode).toBe(3);
    expect(failed.stdout).toBe('giving up with 3');
    expect(failed.stderr).toContain('running ./scripts/fail.sh 3');
    expect(failed.stderr).toMatch(/fail: exit 3 after/);
    const entry = (await audit()).filter((e) => e.action === 'action-run').at(-1)!;
    expect(entry).toMatchObject({ actor: 'sun', target: 'A1', note: expect.stringMatching(/^exit 3 after/) });
    expect(entry.detail).toMatchObject({ playbook: 'pms-recovery', action: 'fail', command: ['./scripts/fail.sh', '3'], exitCode: 3, outcome: 'failed', output: 'giving up with 3', rule: 'allow: anyone' });
    expect(typeof entry.detail!.durationMs).toBe('number');
    // A value outside the argument's pattern never reaches the program.
    const bad = await imos(['run', 'A1', 'fail', '--yes', '--arg', 'code=3; touch pwned', '--as', 'sun']);
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr).toContain('code must match /[0-9]+/');
  });

  it('refuses a person the rule does not name, naming the rule', async () => {
    const refused = await imos(['run', 'A1', 'fix', '--yes', '--as', 'sun']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('sun may not run fix: playbooks.pms-recovery.actions.fix.allow is [leader (luna)]');
    expect(fs.existsSync(path.join(dir, 'state', 'fixed'))).toBe(false);
  });

  it('asks before running: no terminal without --yes, and a phrase when the action wants one', async () => {
    const unasked = await imos(['run', 'A1', 'fail', '--arg', 'code=0', '--as', 'sun']);
    expect(unasked.exitCode).toBe(64);
    expect(unasked.stderr).toContain('not a terminal: give --yes');
    const phrase = await imos(['run', 'A1', 'careful', '--yes', '--as', 'sun']);
    expect(phrase.exitCode).toBe(64);
    expect(phrase.stderr).toContain('give --yes --confirm "fix it now"');
    expect(fs.existsSync(path.join(dir, 'state', 'fixed'))).toBe(false);
  });

  it('stops a run that hangs past its timeout, with its children', async () => {
    const started = Date.now();
    const hung = await imos(['run', 'A1', 'hang', '--yes', '--as', 'sun'], { timeoutMs: CLI_HANG_MS });
    expect(hung.exitCode).toBe(124);
    expect(hung.stderr).toContain('hang: stopped at its timeout (1s)');
    expect(Date.now() - started).toBeLessThan(HANG_MS); // the 1 s timeout honoured, not the program's own length
    for (const file of ['hang.pid', 'child.pid']) {
      const pid = Number(fs.readFileSync(path.join(dir, 'state', file), 'utf8'));
      expect(isProcessRunning(pid)).toBe(false);
    }
    expect((await audit()).filter((e) => e.action === 'action-run').at(-1)!.detail).toMatchObject({ action: 'hang', outcome: 'timed-out', exitCode: null });
  });

  it('keeps the tail of a flood of output', async () => {
    const flood = await imos(['run', 'A1', 'flood', '--yes', '--as', 'sun'], { timeoutMs: CLI_HANG_MS });
    expect(flood.exitCode).toBe(0);
    expect(flood.stdout.split('\n').filter(Boolean)).toHaveLength(20_000);
    expect(flood.stderr).toContain('(the last 50 lines kept)');
    const detail = (await audit()).filter((e) => e.action === 'action-run').at(-1)!.detail!;
    expect(detail.truncated).toBe(true);
    expect(String(detail.output).split('\n')).toEqual(Array.from({ length: 20 }, (_, i) => `line ${19_980 + i}`));
  });

  it('prints no escape sequence and no secret of the action', async () => {
    const run = await runImos(['run', 'A1', 'escapes', '--yes', '--as', 'sun'], { cwd: dir, env: { SLACK_BOT_TOKEN: 'xoxb-imos-own-4f1e' } });
    expect(run.exitCode).toBe(0);
    // imos's own secrets are not handed to the action.
    expect(run.stdout).toContain('imos token: not passed');
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u0007');
    expect(run.stdout).toContain('red plain');
    expect(run.stdout).not.toContain('tok-8c1f9a2b77');
    expect(JSON.stringify(await audit())).not.toContain('tok-8c1f9a2b77');
  });

  it('lets one run of an action go at a time across processes', async () => {
    const first = execa(process.execPath, [IMOS_BIN, 'run', 'A1', 'slow', '--yes', '--as', 'sun'], { cwd: dir, reject: false, timeout: CLI_HANG_MS });
    try {
      // Wait until the first run has its claim (its program says so), then try a second.
      await waitUntil('the first run to claim the action', async () => (await audit()).some((e) => e.action === 'action-start' && e.detail?.action === 'slow'), HANG_MS, 25);
      const second = await imos(['run', 'A1', 'slow', '--yes', '--as', 'luna']);
      expect(second.exitCode).toBe(1);
      expect(second.stderr).toMatch(/slow is already running \(started by sun at .* for A1, pid \d+ on .*\): one run at a time/);
    } finally {
      fs.writeFileSync(path.join(dir, 'state', 'release'), '');
    }
    const done = await first;
    expect(done.exitCode).toBe(0);
    expect(String(done.stdout)).toBe('started\nreleased');
    const runs = (await audit()).filter((e) => e.detail?.action === 'slow').map((e) => [e.action, e.actor]);
    expect(runs).toEqual([['action-start', 'sun'], ['action-run', 'sun']]);
  });

  it('stops the run and records it when imos is hung up or interrupted: no program left behind holding no claim', async () => {
    for (const [signal, code] of [['SIGHUP', 129], ['SIGINT', 130]] as const) {
      const { run, script } = await startSlowRun();
      run.kill(signal);
      const done = await run;
      expect(done.exitCode).toBe(code);
      expect(isProcessRunning(script)).toBe(false);
      const last = (await audit()).filter((e) => e.action === 'action-run').at(-1)!;
      expect(last).toMatchObject({ actor: 'sun', detail: { action: 'slow', outcome: 'stopped', exitCode: null } });
      expect(last.note).toMatch(/^stopped by its runner after /);
    }
    // Its claim is released: the next run starts at once.
    fs.writeFileSync(path.join(dir, 'state', 'release'), '');
    expect((await imos(['run', 'A1', 'slow', '--yes', '--as', 'sun'])).exitCode).toBe(0);
  }, 60_000); // three runs of the CLI, each seconds long on a loaded machine

  it('records a run whose imos was killed outright as lost, when the next run finds its claim lapsed', async () => {
    const { run, script } = await startSlowRun();
    run.kill('SIGKILL'); // no chance to record anything
    await run;
    // Its program outlives it; let it finish before the next run.
    fs.writeFileSync(path.join(dir, 'state', 'release'), '');
    await waitUntil('its program to finish', () => !isProcessRunning(script), HANG_MS, 25);
    const killedRunId = (await audit()).filter((e) => e.action === 'action-start').at(-1)!.detail!.runId;
    expect((await audit()).filter((e) => e.detail?.runId === killedRunId).map((e) => e.action)).toEqual(['action-start']);

    expect((await imos(['run', 'A1', 'slow', '--yes', '--as', 'luna'])).exitCode).toBe(0);
    const killed = (await audit()).filter((e) => e.detail?.runId === killedRunId);
    expect(killed.map((e) => e.action)).toEqual(['action-start', 'action-run']);
    expect(killed[1]).toMatchObject({ actor: 'sun', target: 'A1', detail: { playbook: 'pms-recovery', action: 'slow', command: ['./scripts/slow.sh'], outcome: 'lost', exitCode: null } });
    expect(killed[1]!.note).toMatch(/^lost: its runner \(pid \d+ on .*\) is gone; how the run ended was never recorded$/);
    // The daily report lists it with the runs.
    const daily = await imos(['report', 'daily']);
    expect(daily.stdout).toMatch(/slow.*lost/);
  });

  it('runs the alert\'s check at once after the action: the alert resolves', async () => {
    const fixed = await imos(['run', 'A1', 'fix', '--yes', '--as', 'luna']);
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain('re-running the sync');
    expect(fixed.stdout).toContain('3 rows caught up');
    expect(fixed.stderr).toContain('fixed checked again: ok');
    const alerts = JSON.parse((await imos(['alerts', '--all', '--json'])).stdout) as Array<{ id: string; state: string }>;
    expect(alerts.find((a) => a.id === 'A1')?.state).toBe('resolved');
    // A resolved alert runs nothing more.
    const after = await imos(['run', 'A1', 'fix', '--yes', '--as', 'luna']);
    expect(after.exitCode).toBe(1);
    expect(after.stderr).toContain('A1 is resolved');
  });

  it("runs a quality gate's checks at once after an action on the gate's alert: it resolves", async () => {
    type Row = { id: string; type: string; checkId: string; state: string };
    const gate = (JSON.parse((await imos(['alerts', '--json'])).stdout) as Row[]).find((a) => a.type === 'QUALITY_GATE')!;
    expect(gate).toMatchObject({ checkId: 'gate:ready-gate', state: 'open' });
    const run = await imos(['run', gate.id, 'get-ready', '--yes', '--as', 'sun']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('ready checked again: ok');
    const after = JSON.parse((await imos(['alerts', '--all', '--json'])).stdout) as Row[];
    expect(after.find((a) => a.id === gate.id)?.state).toBe('resolved');
  });
});
